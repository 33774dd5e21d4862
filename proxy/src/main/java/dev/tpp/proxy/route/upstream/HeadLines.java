package dev.tpp.proxy.route.upstream;

import java.util.Arrays;

/**
 * The lines of an origin's response head, checked byte by byte for {@link OriginHeadParser} in the
 * array it copied them into: the status line, and one field line each, which is found, checked and
 * recorded in one pass, as buffer offsets in an {@link OriginHead}. Throws {@link
 * MalformedResponseException}. Pure; event loop.
 */
final class HeadLines {
  /** RFC 9110 §5.6.2 tchar, by byte value. */
  private static final boolean[] TCHAR = new boolean[256];

  /**
   * What a value or reason may hold: visible ASCII, SP, HTAB, obs-text; no other control, no DEL.
   */
  private static final boolean[] TEXT = new boolean[256];

  static {
    for (int c = 0x21; c < 0x7f; c++) {
      TCHAR[c] = "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
    for (int c = 0; c < 256; c++) {
      TEXT[c] = (c >= 0x20 && c != 0x7f) || c == '\t';
    }
  }

  private HeadLines() {}

  /**
   * {@code HTTP/1.x SP+ 3DIGIT [SP reason]} in {@code b[0, end)}; a minor version above 1 is read
   * as 1.1 (RFC 9110 §2.5).
   */
  static void statusLine(byte[] b, int end, OriginHead head) {
    if (end < 12
        || b[0] != 'H'
        || b[1] != 'T'
        || b[2] != 'T'
        || b[3] != 'P'
        || b[4] != '/'
        || b[5] != '1'
        || b[6] != '.'
        || !isDigit(b[7])
        || b[8] != ' ') {
      throw new MalformedResponseException("status line is not: HTTP/1.x SP status-code");
    }
    head.http10 = b[7] == '0';
    int i = 8;
    while (i < end && b[i] == ' ') {
      i++;
    }
    if (end - i < 3
        || b[i] < '1'
        || !isDigit(b[i])
        || !isDigit(b[i + 1])
        || !isDigit(b[i + 2])
        || (end > i + 3 && b[i + 3] != ' ')) {
      throw new MalformedResponseException("status code is not three digits");
    }
    head.status = (b[i] - '0') * 100 + (b[i + 1] - '0') * 10 + b[i + 2] - '0';
    int reasonStart = Math.min(end, i + 4);
    for (int r = reasonStart; r < end; r++) {
      if (!TEXT[b[r] & 0xff]) {
        throw badText(b[r], "reason phrase");
      }
    }
    head.reasonStart = head.base + reasonStart;
    head.reasonEnd = head.base + end;
  }

  /**
   * The field line that starts at {@code start}, up to its LF before {@code limit}: records it (and
   * its {@link FieldKinds}) in {@code head} and returns the index after its LF; -1 when its LF is
   * not before {@code limit}.
   */
  static int field(byte[] b, int start, int limit, OriginHead head) {
    if (OriginHeadParser.isOws(b[start])) {
      throw new MalformedResponseException("obs-fold (a line starting with whitespace)");
    }
    int i = start;
    while (i < limit && TCHAR[b[i] & 0xff]) {
      i++;
    }
    int nameEnd = i;
    i = OriginHeadParser.skipOws(b, i, limit);
    if (i == limit) {
      return -1;
    }
    if (nameEnd == start || b[i] != ':') {
      throw new MalformedResponseException("header field is not: token \":\" value");
    }
    int valueStart = OriginHeadParser.skipOws(b, i + 1, limit);
    i = valueStart;
    while (i < limit && TEXT[b[i] & 0xff]) {
      i++;
    }
    if (i == limit || (b[i] == '\r' && i + 1 == limit)) {
      return -1;
    }
    int next;
    if (b[i] == '\n') {
      next = i + 1;
    } else if (b[i] == '\r' && b[i + 1] == '\n') {
      next = i + 2;
    } else {
      throw badText(b[i], "header value");
    }
    int valueEnd = i;
    while (valueEnd > valueStart && OriginHeadParser.isOws(b[valueEnd - 1])) {
      valueEnd--;
    }
    int field = head.fieldCount++;
    if (head.fields.length < head.fieldCount * 4) {
      head.fields = Arrays.copyOf(head.fields, head.fields.length * 2);
    }
    int base = head.base;
    head.fields[field * 4] = base + start;
    head.fields[field * 4 + 1] = base + nameEnd;
    head.fields[field * 4 + 2] = base + valueStart;
    head.fields[field * 4 + 3] = base + valueEnd;
    head.kind(field, FieldKinds.of(b, start, nameEnd));
    return next;
  }

  private static MalformedResponseException badText(byte c, String what) {
    return new MalformedResponseException(
        String.format("control character 0x%02x in a %s", c, what));
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }
}
