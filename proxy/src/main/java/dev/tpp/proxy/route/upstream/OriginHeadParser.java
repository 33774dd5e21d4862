package dev.tpp.proxy.route.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import io.netty.util.ByteProcessor;
import java.util.Arrays;

/**
 * Parses an origin's response head (RFC 9112 §4, §5) in place into an {@link OriginHead}: {@code
 * HTTP/1.x SP 3DIGIT [SP reason]}, then {@code name ":" OWS value OWS} lines up to an empty one
 * (CRLF or a bare LF), the status line at most 4096 bytes and the fields at most 8192 (Netty's
 * limits, which the proxy had before). Whitespace between a name and its colon is dropped, as a
 * proxy must (RFC 9112 §5.1); obs-fold, controls in a value, a bad name or number, differing {@code
 * Content-Length} values throw {@link MalformedResponseException}. Pure; event loop.
 */
final class OriginHeadParser {
  static final int MAX_STATUS_LINE = 4096;
  static final int MAX_FIELDS = 8192;
  private static final AsciiString CHUNKED = AsciiString.cached("chunked");
  private static final AsciiString CLOSE = AsciiString.cached("close");
  private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");
  private static final ByteProcessor NOT_COMMA = c -> c != ',';

  private OriginHeadParser() {}

  /**
   * Parses the head that starts at {@code start} into {@code head}: the index after its empty line,
   * or -1 when it has not all arrived.
   */
  static int parse(ByteBuf in, int start, OriginHead head) {
    int limit = in.writerIndex();
    int lf = in.indexOf(start, Math.min(limit, start + MAX_STATUS_LINE + 2), (byte) '\n');
    if (lf < 0) {
      if (limit - start > MAX_STATUS_LINE + 1) {
        throw new MalformedResponseException("status line longer than " + MAX_STATUS_LINE);
      }
      return -1;
    }
    head.reset(in);
    HeadLines.statusLine(in, start, HeadLines.lineEnd(in, start, lf), head);
    int fieldsStart = lf + 1;
    int max = Math.min(limit, fieldsStart + MAX_FIELDS + 2);
    for (int line = fieldsStart; ; line = lf + 1) {
      lf = line < max ? in.indexOf(line, max, (byte) '\n') : -1;
      if (lf < 0) {
        if (limit - fieldsStart > MAX_FIELDS + 1) {
          throw new MalformedResponseException("header fields longer than " + MAX_FIELDS);
        }
        return -1;
      }
      int end = HeadLines.lineEnd(in, line, lf);
      if (end == line) {
        head.headLength = lf + 1 - start;
        head.keepAlive = keepAlive(head);
        return lf + 1;
      }
      int field = HeadLines.field(in, line, end, head);
      framing(in, field, head);
    }
  }

  /** Notes what the framing and the connection's fate depend on. */
  private static void framing(ByteBuf in, int field, OriginHead head) {
    int start = head.valueStart(field);
    int end = head.valueEnd(field);
    int kind = FieldKinds.of(in, head.nameStart(field), head.nameEnd(field));
    head.kind(field, kind);
    if ((kind & FieldKinds.CONTENT_LENGTH) != 0) {
      head.contentLength = contentLength(in, start, end, head.contentLength);
    } else if ((kind & FieldKinds.TRANSFER_ENCODING) != 0) {
      // The last field's last coding decides: chunked there frames the body, anything else means
      // the body runs until the connection closes (RFC 9112 §6.3).
      head.transferEncoding = true;
      int comma = in.forEachByteDesc(start, end - start, NOT_COMMA);
      int tokenStart = comma < 0 ? start : comma + 1;
      head.chunked = OriginHead.equalsIgnoreCase(in, skipOws(in, tokenStart, end), end, CHUNKED);
    } else if ((kind & FieldKinds.CONNECTION) != 0) {
      connectionTokens(in, start, end, head);
    }
  }

  /** One or more comma-separated copies of one decimal number (RFC 9110 §8.6). */
  private static long contentLength(ByteBuf in, int start, int end, long before) {
    long value = before;
    int i = start;
    while (true) {
      i = skipOws(in, i, end);
      int digits = i;
      long n = 0;
      while (i < end && in.getByte(i) >= '0' && in.getByte(i) <= '9' && i - digits < 18) {
        n = n * 10 + in.getByte(i++) - '0';
      }
      i = skipOws(in, i, end);
      if (i == digits || (i < end && in.getByte(i) != ',') || (value >= 0 && value != n)) {
        throw new MalformedResponseException("invalid or conflicting Content-Length");
      }
      value = n;
      if (i == end) {
        return value;
      }
      i++;
    }
  }

  private static void connectionTokens(ByteBuf in, int start, int end, OriginHead head) {
    int i = start;
    while (i < end) {
      int comma = in.indexOf(i, end, (byte) ',');
      int tokenEnd = comma < 0 ? end : comma;
      int s = skipOws(in, i, tokenEnd);
      int e = tokenEnd;
      while (e > s && isOws(in.getByte(e - 1))) {
        e--;
      }
      if (e > s) {
        if (head.connectionTokens.length < (head.connectionTokenCount + 1) * 2) {
          head.connectionTokens =
              Arrays.copyOf(head.connectionTokens, head.connectionTokens.length * 2);
        }
        head.connectionTokens[head.connectionTokenCount * 2] = s;
        head.connectionTokens[head.connectionTokenCount * 2 + 1] = e;
        head.connectionTokenCount++;
      }
      i = tokenEnd + 1;
    }
  }

  private static boolean keepAlive(OriginHead head) {
    boolean close = false;
    boolean keepAlive = false;
    for (int t = 0; t < head.connectionTokenCount * 2; t += 2) {
      int s = head.connectionTokens[t];
      int e = head.connectionTokens[t + 1];
      close |= OriginHead.equalsIgnoreCase(head.buf, s, e, CLOSE);
      keepAlive |= OriginHead.equalsIgnoreCase(head.buf, s, e, KEEP_ALIVE);
    }
    return !close && (!head.http10 || keepAlive);
  }

  static int skipOws(ByteBuf in, int from, int end) {
    int i = from;
    while (i < end && isOws(in.getByte(i))) {
      i++;
    }
    return i;
  }

  static boolean isOws(byte c) {
    return c == ' ' || c == '\t';
  }
}
