package dev.tpp.proxy.route.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.util.Arrays;

/**
 * The lines of an origin's response head, checked byte by byte for {@link OriginHeadParser}: the
 * status line and one field line each, recorded as offsets in an {@link OriginHead}. Throws {@link
 * MalformedResponseException}. Pure; event loop.
 */
final class HeadLines {
  /** RFC 9110 §5.6.2 tchar, by byte value. */
  private static final boolean[] TCHAR = new boolean[256];

  static {
    for (int c = 0x21; c < 0x7f; c++) {
      TCHAR[c] = "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
  }

  // Scanned with forEachByte: one range check per run of bytes instead of one per getByte.
  private static final ByteProcessor TOKEN = c -> TCHAR[c & 0xff];
  private static final ByteProcessor TEXT = c -> (c < 0 || c >= 0x20 || c == '\t') && c != 0x7f;

  private HeadLines() {}

  /** The end of the line whose LF is at {@code lf}: before its CR, if it has one. */
  static int lineEnd(ByteBuf in, int start, int lf) {
    return lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
  }

  /**
   * {@code HTTP/1.x SP+ 3DIGIT [SP reason]}; a minor version above 1 is read as 1.1 (RFC 9110
   * §2.5).
   */
  static void statusLine(ByteBuf in, int start, int end, OriginHead head) {
    if (end - start < 12
        || !isPrefix(in, start, "HTTP/1.")
        || !isDigit(in.getByte(start + 7))
        || in.getByte(start + 8) != ' ') {
      throw new MalformedResponseException("status line is not: HTTP/1.x SP status-code");
    }
    head.http10 = in.getByte(start + 7) == '0';
    int i = start + 8;
    while (i < end && in.getByte(i) == ' ') {
      i++;
    }
    if (end - i < 3
        || in.getByte(i) < '1'
        || !isDigit(in.getByte(i))
        || !isDigit(in.getByte(i + 1))
        || !isDigit(in.getByte(i + 2))
        || (end > i + 3 && in.getByte(i + 3) != ' ')) {
      throw new MalformedResponseException("status code is not three digits");
    }
    head.status =
        (in.getByte(i) - '0') * 100 + (in.getByte(i + 1) - '0') * 10 + in.getByte(i + 2) - '0';
    head.reasonStart = Math.min(end, i + 4);
    head.reasonEnd = end;
    checkText(in, head.reasonStart, end, "reason phrase");
  }

  /** Records one field line ({@code [start, end)}, no line end) in {@code head}; its index. */
  static int field(ByteBuf in, int start, int end, OriginHead head) {
    if (OriginHeadParser.isOws(in.getByte(start))) {
      throw new MalformedResponseException("obs-fold (a line starting with whitespace)");
    }
    int notToken = in.forEachByte(start, end - start, TOKEN);
    int nameEnd = notToken < 0 ? end : notToken;
    int colon = OriginHeadParser.skipOws(in, nameEnd, end);
    if (nameEnd == start || colon == end || in.getByte(colon) != ':') {
      throw new MalformedResponseException("header field is not: token \":\" value");
    }
    int valueStart = OriginHeadParser.skipOws(in, colon + 1, end);
    int valueEnd = end;
    while (valueEnd > valueStart && OriginHeadParser.isOws(in.getByte(valueEnd - 1))) {
      valueEnd--;
    }
    checkText(in, valueStart, valueEnd, "header value");
    int field = head.fieldCount++;
    if (head.fields.length < head.fieldCount * 4) {
      head.fields = Arrays.copyOf(head.fields, head.fields.length * 2);
    }
    head.fields[field * 4] = start;
    head.fields[field * 4 + 1] = nameEnd;
    head.fields[field * 4 + 2] = valueStart;
    head.fields[field * 4 + 3] = valueEnd;
    return field;
  }

  /** Visible ASCII, spaces, tabs and obs-text: no controls (a bare CR, NUL...), no DEL. */
  private static void checkText(ByteBuf in, int start, int end, String what) {
    int bad = end > start ? in.forEachByte(start, end - start, TEXT) : -1;
    if (bad >= 0) {
      throw new MalformedResponseException(
          String.format("control character 0x%02x in a %s", in.getByte(bad), what));
    }
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isPrefix(ByteBuf in, int start, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (in.getByte(start + i) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
