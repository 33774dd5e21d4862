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

  /**
   * By name length: the special names of that length, in lower case, and their kinds (same order).
   */
  private static final byte[][][] NAMES = new byte[MAX_LENGTH + 1][][];

  private static final int[][] KINDS = new int[MAX_LENGTH + 1][];

  static {
    List<AsciiString> names = new ArrayList<>(HopByHopHeaders.FIXED);
    HopByHopHeaders.PROTECTED.stream().filter(n -> !names.contains(n)).forEach(names::add);
    for (int length = 0; length <= MAX_LENGTH; length++) {
      int len = length;
      List<AsciiString> same = names.stream().filter(n -> n.length() == len).toList();
      NAMES[length] = same.stream().map(FieldKinds::lowerLettersAndHyphens).toArray(byte[][]::new);
      KINDS[length] = same.stream().mapToInt(FieldKinds::kindOf).toArray();
    }
  }

  private FieldKinds() {}

  /**
   * {@code name}'s bytes in lower case; only letters and hyphens, so that {@link #of} can compare a
   * token's byte {@code c} as {@code (c | 0x20)}: for a tchar that equals a lower-case letter only
   * when {@code c} is that letter in either case, and {@code '-'} only when {@code c} is {@code
   * '-'} (CR, 0x0d, is no tchar).
   */
  private static byte[] lowerLettersAndHyphens(AsciiString name) {
    byte[] lower = name.toLowerCase().toByteArray();
    for (byte c : lower) {
      if (!(c >= 'a' && c <= 'z') && c != '-') {
        throw new IllegalStateException("a special field name that is not letters and hyphens");
      }
    }
    return lower;
  }

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

  /**
   * The kind bits of the field name {@code b[start, end)}, a token (RFC 9110 §5.6.2), compared
   * case-insensitively; 0: none.
   */
  static int of(byte[] b, int start, int end) {
    int length = end - start;
    if (length > MAX_LENGTH) {
      return 0;
    }
    byte[][] candidates = NAMES[length];
    for (int i = 0; i < candidates.length; i++) {
      byte[] name = candidates[i];
      int at = 0;
      while (at < length && (b[start + at] | 0x20) == name[at]) {
        at++;
      }
      if (at == length) {
        return KINDS[length][i];
      }
    }
    return 0;
  }
}
