package dev.tpp.proxy.route.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * Parses an origin's response head (RFC 9112 §4, §5) into an {@link OriginHead}: {@code HTTP/1.x SP
 * 3DIGIT [SP reason]}, then {@code name ":" OWS value OWS} lines up to an empty one (CRLF or a bare
 * LF), the status line at most 4096 bytes and the fields at most 8192 (Netty's limits, which the
 * proxy had before). Whitespace between a name and its colon is dropped, as a proxy must (RFC 9112
 * §5.1); obs-fold, controls in a value, a bad name or number, differing {@code Content-Length}
 * values throw {@link MalformedResponseException}.
 *
 * <p>The head's bytes are first copied into the head's own array ({@link OriginHead#scratch}), 1
 * KiB of them, more only for a longer head: one bounds-checked copy, then every byte is read from
 * the array in one pass per line. Reading them from the buffer one {@code getByte} at a time, each
 * with its bounds and reference-count checks, made the parse 11 % of the event loop's user time in
 * scenario 1 (bench/README.md, issue 13). The offsets recorded are the buffer's. Pure; event loop.
 */
final class OriginHeadParser {
  static final int MAX_STATUS_LINE = 4096;
  static final int MAX_FIELDS = 8192;

  /** The most a head can take: its status line and its fields, each with a CRLF. */
  static final int MAX_HEAD = MAX_STATUS_LINE + 2 + MAX_FIELDS + 2;

  private static final int FIRST_COPY = 1024;
  private static final int COPY_MORE = -2; // the copy ends before the head does
  private static final AsciiString CHUNKED = AsciiString.cached("chunked");
  private static final AsciiString CLOSE = AsciiString.cached("close");
  private static final AsciiString KEEP_ALIVE = AsciiString.cached("keep-alive");

  private OriginHeadParser() {}

  /**
   * Parses the head that starts at {@code start} into {@code head}: the index after its empty line,
   * or -1 when it has not all arrived.
   */
  static int parse(ByteBuf in, int start, OriginHead head) {
    int available = Math.min(in.writerIndex() - start, MAX_HEAD);
    int length = Math.min(available, FIRST_COPY);
    while (true) {
      byte[] b = head.scratch(length);
      in.getBytes(start, b, 0, length);
      head.reset(in, start);
      int end = parse(b, length, length == available, head);
      if (end != COPY_MORE) {
        return end < 0 ? -1 : start + end;
      }
      length = Math.min(available, length * 4);
    }
  }

  /**
   * The head in {@code b[0, length)}: the index after its empty line; -1 when it has not all
   * arrived ({@code all}: {@code b} holds every byte there is, up to {@link #MAX_HEAD}); {@link
   * #COPY_MORE} when it may go on past {@code length}.
   */
  private static int parse(byte[] b, int length, boolean all, OriginHead head) {
    int lf = indexOf(b, 0, Math.min(length, MAX_STATUS_LINE + 2), (byte) '\n');
    if (lf < 0) {
      if (length >= MAX_STATUS_LINE + 2) {
        throw new MalformedResponseException("status line longer than " + MAX_STATUS_LINE);
      }
      return all ? -1 : COPY_MORE;
    }
    HeadLines.statusLine(b, lf > 0 && b[lf - 1] == '\r' ? lf - 1 : lf, head);
    int fieldsStart = lf + 1;
    int max = Math.min(length, fieldsStart + MAX_FIELDS + 2);
    for (int line = fieldsStart; ; ) {
      int next;
      if (line == max || (b[line] == '\r' && line + 1 == max)) {
        next = -1;
      } else if (b[line] == '\n' || (b[line] == '\r' && b[line + 1] == '\n')) {
        head.headLength = b[line] == '\n' ? line + 1 : line + 2;
        head.keepAlive = keepAlive(b, head);
        return head.headLength;
      } else {
        next = HeadLines.field(b, line, max, head);
      }
      if (next < 0) {
        if (fieldsStart + MAX_FIELDS + 2 <= length) {
          throw new MalformedResponseException("header fields longer than " + MAX_FIELDS);
        }
        return all ? -1 : COPY_MORE;
      }
      framing(b, head.fieldCount - 1, head);
      line = next;
    }
  }

  /** Notes what the framing and the connection's fate depend on. */
  private static void framing(byte[] b, int field, OriginHead head) {
    int kind = head.kind(field);
    if (kind == 0) {
      return;
    }
    int start = head.valueStart(field) - head.base;
    int end = head.valueEnd(field) - head.base;
    if ((kind & FieldKinds.CONTENT_LENGTH) != 0) {
      head.contentLength = contentLength(b, start, end, head.contentLength);
    } else if ((kind & FieldKinds.TRANSFER_ENCODING) != 0) {
      // The last field's last coding decides: chunked there frames the body, anything else means
      // the body runs until the connection closes (RFC 9112 §6.3).
      head.transferEncoding = true;
      int tokenStart = end;
      while (tokenStart > start && b[tokenStart - 1] != ',') {
        tokenStart--;
      }
      head.chunked = equalsIgnoreCase(b, skipOws(b, tokenStart, end), end, CHUNKED);
    } else if ((kind & FieldKinds.CONNECTION) != 0) {
      connectionTokens(b, start, end, head);
    }
  }

  /** One or more comma-separated copies of one decimal number (RFC 9110 §8.6). */
  private static long contentLength(byte[] b, int start, int end, long before) {
    long value = before;
    int i = start;
    while (true) {
      i = skipOws(b, i, end);
      int digits = i;
      long n = 0;
      while (i < end && b[i] >= '0' && b[i] <= '9' && i - digits < 18) {
        n = n * 10 + b[i++] - '0';
      }
      i = skipOws(b, i, end);
      if (i == digits || (i < end && b[i] != ',') || (value >= 0 && value != n)) {
        throw new MalformedResponseException("invalid or conflicting Content-Length");
      }
      value = n;
      if (i == end) {
        return value;
      }
      i++;
    }
  }

  /** Records each token of a {@code Connection} field (buffer offsets). */
  private static void connectionTokens(byte[] b, int start, int end, OriginHead head) {
    int i = start;
    while (i < end) {
      int comma = indexOf(b, i, end, (byte) ',');
      int tokenEnd = comma < 0 ? end : comma;
      int s = skipOws(b, i, tokenEnd);
      int e = tokenEnd;
      while (e > s && isOws(b[e - 1])) {
        e--;
      }
      if (e > s) {
        if (head.connectionTokens.length < (head.connectionTokenCount + 1) * 2) {
          head.connectionTokens =
              Arrays.copyOf(head.connectionTokens, head.connectionTokens.length * 2);
        }
        head.connectionTokens[head.connectionTokenCount * 2] = head.base + s;
        head.connectionTokens[head.connectionTokenCount * 2 + 1] = head.base + e;
        head.connectionTokenCount++;
      }
      i = tokenEnd + 1;
    }
  }

  private static boolean keepAlive(byte[] b, OriginHead head) {
    boolean close = false;
    boolean keepAlive = false;
    for (int t = 0; t < head.connectionTokenCount * 2; t += 2) {
      int s = head.connectionTokens[t] - head.base;
      int e = head.connectionTokens[t + 1] - head.base;
      close |= equalsIgnoreCase(b, s, e, CLOSE);
      keepAlive |= equalsIgnoreCase(b, s, e, KEEP_ALIVE);
    }
    return !close && (!head.http10 || keepAlive);
  }

  /** The index of the first {@code value} in {@code b[from, to)}, or -1. */
  static int indexOf(byte[] b, int from, int to, byte value) {
    for (int i = from; i < to; i++) {
      if (b[i] == value) {
        return i;
      }
    }
    return -1;
  }

  /** True when {@code b[start, end)} is {@code name}, ASCII case ignored. */
  static boolean equalsIgnoreCase(byte[] b, int start, int end, AsciiString name) {
    if (end - start != name.length()) {
      return false;
    }
    for (int i = 0; i < end - start; i++) {
      if (lower(b[start + i]) != lower(name.byteAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static byte lower(byte c) {
    return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
  }

  static int skipOws(byte[] b, int from, int end) {
    int i = from;
    while (i < end && isOws(b[i])) {
      i++;
    }
    return i;
  }

  static boolean isOws(byte c) {
    return c == ' ' || c == '\t';
  }
}
