package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.http.HttpExchange;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Writes the head the client gets from an {@link OriginHead}, copying byte ranges rather than
 * building header objects: {@code HTTP/1.1}, the origin's status and reason, its end-to-end fields
 * (the same ones {@link HopByHopHeaders#strip} leaves, and no {@code Content-Length} beside a
 * {@code Transfer-Encoding}), then the proxy's own framing and {@code Connection} fields. Pure;
 * event loop.
 */
final class ClientHeadEncoder {
  private static final byte[] HTTP_11 = "HTTP/1.1 ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CHUNKED =
      "transfer-encoding: chunked\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONNECTION = "connection: ".getBytes(StandardCharsets.US_ASCII);
  private static final short CRLF = ('\r' << 8) | '\n';
  private static final short COLON_SP = (':' << 8) | ' ';

  private ClientHeadEncoder() {}

  /**
   * {@code chunked}: the body goes to the client chunked; {@code connection}: the value of the
   * {@code Connection} field to add, or null.
   */
  static ByteBuf encode(
      OriginHead head, boolean chunked, CharSequence connection, ByteBufAllocator alloc) {
    ByteBuf in = head.buf;
    // room for a short body too: HttpExchange sends it in the head's buffer when it comes in the
    // same read
    int spare =
        !chunked && head.contentLength > 0 && head.contentLength <= HttpExchange.JOINED_BODY_MAX
            ? (int) head.contentLength
            : 0;
    ByteBuf out = alloc.buffer(head.headLength + 64 + spare);
    out.writeBytes(HTTP_11);
    out.writeByte('0' + head.status / 100)
        .writeByte('0' + head.status / 10 % 10)
        .writeByte('0' + head.status % 10)
        .writeByte(' ');
    out.writeBytes(in, head.reasonStart, head.reasonEnd - head.reasonStart).writeShort(CRLF);
    // Kept fields already written as "name: value CRLF" (most origins write every field so) are
    // copied as they are, consecutive ones in one run: one copy for the usual head instead of four
    // writes per field. Any other form is rewritten to that one.
    int runStart = -1;
    int runEnd = -1;
    for (int i = 0; i < head.fieldCount(); i++) {
      if (dropped(head, i)) {
        continue;
      }
      if (canonical(in, head, i)) {
        if (head.nameStart(i) != runEnd) {
          copy(in, runStart, runEnd, out);
          runStart = head.nameStart(i);
        }
        runEnd = head.valueEnd(i) + 2;
        continue;
      }
      copy(in, runStart, runEnd, out);
      runStart = -1;
      runEnd = -1;
      out.writeBytes(in, head.nameStart(i), head.nameEnd(i) - head.nameStart(i));
      out.writeShort(COLON_SP);
      out.writeBytes(in, head.valueStart(i), head.valueEnd(i) - head.valueStart(i));
      out.writeShort(CRLF);
    }
    copy(in, runStart, runEnd, out);
    if (chunked) {
      out.writeBytes(CHUNKED);
    }
    if (connection != null) {
      out.writeBytes(CONNECTION).writeCharSequence(connection, StandardCharsets.US_ASCII);
      out.writeShort(CRLF);
    }
    return out.writeShort(CRLF);
  }

  /** The field's line is exactly {@code name ": " value CRLF}. */
  private static boolean canonical(ByteBuf in, OriginHead head, int field) {
    int nameEnd = head.nameEnd(field);
    return head.valueStart(field) == nameEnd + 2
        && in.getShort(nameEnd) == COLON_SP
        && in.getShort(head.valueEnd(field)) == CRLF;
  }

  private static void copy(ByteBuf in, int start, int end, ByteBuf out) {
    if (start >= 0) {
      out.writeBytes(in, start, end - start);
    }
  }

  private static boolean dropped(OriginHead head, int field) {
    int kind = head.kind(field);
    if ((kind & FieldKinds.HOP_BY_HOP) != 0) {
      return true;
    }
    if (head.transferEncoding && (kind & FieldKinds.CONTENT_LENGTH) != 0) {
      return true;
    }
    return head.connectionTokenCount > 0
        && (kind & FieldKinds.PROTECTED) == 0
        && head.namedByConnection(field);
  }
}
