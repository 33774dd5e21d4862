package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.http.Http1Head;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An origin's response head as {@link OriginHeadParser} found it: the status, and each header field
 * as offsets into the bytes received, so that nothing is copied into a {@code String} or a header
 * map unless someone asks ({@link #toResponse}); as an {@link Http1Head} it writes the client's
 * head from those bytes ({@link ClientHeadEncoder}). One per upstream connection, reused for every
 * head: it is valid only while {@link OriginResponseDecoder} delivers it (the call to {@code
 * channelRead}), for its bytes are the decoder's buffer. Event loop only.
 */
final class OriginHead implements HttpObject, Http1Head {
  private static final DefaultHttpHeadersFactory HEADERS =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false); // the parser checked them

  @SuppressWarnings("NullAway.Init") // set by the decoder before it emits the head
  ByteBuf buf;

  /** The index in {@link #buf} where the head starts. */
  int base;

  /** The parser's copy of the head's bytes ({@link OriginHeadParser}). */
  private byte[] scratch = new byte[1024];

  int headLength;
  int status;
  boolean http10;
  int reasonStart;
  int reasonEnd;

  /** Per field: name start, name end, value start, value end (indexes of {@link #buf}). */
  int[] fields = new int[64];

  int fieldCount;

  /** Per field: its {@link FieldKinds} bits, set by the parser. */
  int[] kinds = new int[16];

  /** Per token of the {@code Connection} fields: start, end. */
  int[] connectionTokens = new int[8];

  int connectionTokenCount;
  long contentLength;
  boolean transferEncoding;
  boolean chunked;
  boolean keepAlive;
  private boolean chunkForClient;

  void reset(ByteBuf buf, int base) {
    this.buf = buf;
    this.base = base;
    fieldCount = 0;
    connectionTokenCount = 0;
    contentLength = -1;
    transferEncoding = false;
    chunked = false;
  }

  /** The parser's array, at least {@code length} bytes long. */
  byte[] scratch(int length) {
    if (scratch.length < length) {
      scratch = new byte[Math.max(length, scratch.length * 2)];
    }
    return scratch;
  }

  @Override
  public int status() {
    return status;
  }

  /** This head, encoding for the client with its body {@code chunked} or not. */
  Http1Head forClient(boolean chunked) {
    chunkForClient = chunked;
    return this;
  }

  @Override
  public ByteBuf encode(ByteBufAllocator alloc, CharSequence connection) {
    return ClientHeadEncoder.encode(this, chunkForClient, connection, alloc);
  }

  /** A 1xx: the final response follows. */
  boolean isInterim() {
    return status < 200;
  }

  /** HTTP/1.1, or an HTTP/1.0 origin that asked for keep-alive; and no {@code close}. */
  boolean keepAlive() {
    return keepAlive;
  }

  /**
   * The {@code Content-Length} that frames the body, or -1 (none, or {@code Transfer-Encoding}).
   */
  long contentLength() {
    return transferEncoding ? -1 : contentLength;
  }

  int fieldCount() {
    return fieldCount;
  }

  int nameStart(int field) {
    return fields[field * 4];
  }

  int nameEnd(int field) {
    return fields[field * 4 + 1];
  }

  int valueStart(int field) {
    return fields[field * 4 + 2];
  }

  int valueEnd(int field) {
    return fields[field * 4 + 3];
  }

  /** The field's {@link FieldKinds} bits. */
  int kind(int field) {
    return kinds[field];
  }

  void kind(int field, int kind) {
    if (kinds.length <= field) {
      kinds = Arrays.copyOf(kinds, Math.max(field + 1, kinds.length * 2));
    }
    kinds[field] = kind;
  }

  /** True when a {@code Connection} field names this field (as a connection option). */
  boolean namedByConnection(int field) {
    for (int t = 0; t < connectionTokenCount * 2; t += 2) {
      int start = connectionTokens[t];
      int end = connectionTokens[t + 1];
      if (end - start == nameEnd(field) - nameStart(field)
          && equalsIgnoreCase(buf, start, end, buf, nameStart(field))) {
        return true;
      }
    }
    return false;
  }

  /** The head as Netty's message, for the paths that need one (HTTP/2 clients, the WAF). */
  HttpResponse toResponse() {
    HttpHeaders headers = HEADERS.newHeaders();
    for (int i = 0; i < fieldCount; i++) {
      headers.add(text(nameStart(i), nameEnd(i)), text(valueStart(i), valueEnd(i)));
    }
    if (transferEncoding) {
      headers.remove(
          HttpHeaderNames.CONTENT_LENGTH); // the chunking frames the body, not the length
    }
    HttpResponseStatus code = HttpResponseStatus.valueOf(status, text(reasonStart, reasonEnd));
    return new DefaultHttpResponse(
        http10 ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1, code, headers);
  }

  private String text(int start, int end) {
    return buf.toString(start, end - start, StandardCharsets.ISO_8859_1);
  }

  private static boolean equalsIgnoreCase(ByteBuf buf, int start, int end, ByteBuf other, int at) {
    for (int i = 0; i < end - start; i++) {
      if (lower(buf.getByte(start + i)) != lower(other.getByte(at + i))) {
        return false;
      }
    }
    return true;
  }

  private static byte lower(byte c) {
    return c >= 'A' && c <= 'Z' ? (byte) (c + 32) : c;
  }

  @Override
  public DecoderResult decoderResult() {
    return DecoderResult.SUCCESS;
  }

  @Override
  @Deprecated
  public DecoderResult getDecoderResult() {
    return DecoderResult.SUCCESS;
  }

  @Override
  public void setDecoderResult(DecoderResult result) {
    throw new UnsupportedOperationException("an origin head that failed is never delivered");
  }
}
