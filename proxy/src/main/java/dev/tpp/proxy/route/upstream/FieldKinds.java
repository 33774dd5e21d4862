package dev.tpp.proxy.route.upstream;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * What the proxy does with an origin header field, found from its name once, when the head is
 * parsed: the framing fields, and the names {@link ClientHeadEncoder} drops ({@link
 * HopByHopHeaders#FIXED}) or keeps even when {@code Connection} lists them ({@link
 * HopByHopHeaders#PROTECTED}). Before, the parser and the encoder compared every field's name with
 * each of those names in turn. The candidates are kept by name length, so a field whose length no
 * special name has (most: {@code Server}, {@code Date}, {@code ETag}...) costs one array read.
 * Pure; any thread.
 */
final class FieldKinds {
  static final int CONTENT_LENGTH = 1;
  static final int TRANSFER_ENCODING = 1 << 1;
  static final int CONNECTION = 1 << 2;
  static final int HOP_BY_HOP = 1 << 3; // one of HopByHopHeaders.FIXED
  static final int PROTECTED = 1 << 4; // one of HopByHopHeaders.PROTECTED

  private static final int MAX_LENGTH = 32;

  /** By name length: the special names of that length, and their kinds (same order). */
  private static final AsciiString[][] NAMES = new AsciiString[MAX_LENGTH + 1][];

  private static final int[][] KINDS = new int[MAX_LENGTH + 1][];

  static {
    List<AsciiString> names = new ArrayList<>(HopByHopHeaders.FIXED);
    HopByHopHeaders.PROTECTED.stream().filter(n -> !names.contains(n)).forEach(names::add);
    for (int length = 0; length <= MAX_LENGTH; length++) {
      int len = length;
      List<AsciiString> same = names.stream().filter(n -> n.length() == len).toList();
      NAMES[length] = same.toArray(new AsciiString[0]);
      KINDS[length] = same.stream().mapToInt(FieldKinds::kindOf).toArray();
    }
  }

  private FieldKinds() {}

  private static int kindOf(AsciiString name) {
    int kind = HopByHopHeaders.FIXED.contains(name) ? HOP_BY_HOP : 0;
    kind |= HopByHopHeaders.PROTECTED.contains(name) ? PROTECTED : 0;
    if (name.contentEquals(HttpHeaderNames.CONTENT_LENGTH)) {
      kind |= CONTENT_LENGTH;
    } else if (name.contentEquals(HttpHeaderNames.TRANSFER_ENCODING)) {
      kind |= TRANSFER_ENCODING;
    } else if (name.contentEquals(HttpHeaderNames.CONNECTION)) {
      kind |= CONNECTION;
    }
    return kind;
  }

  /** The kind bits of the field name {@code b[start, end)}, case-insensitively; 0: none. */
  static int of(byte[] b, int start, int end) {
    int length = end - start;
    if (length > MAX_LENGTH) {
      return 0;
    }
    AsciiString[] candidates = NAMES[length];
    for (int i = 0; i < candidates.length; i++) {
      if (OriginHeadParser.equalsIgnoreCase(b, start, end, candidates[i])) {
        return KINDS[length][i];
      }
    }
    return 0;
  }
}
