package dev.tpp.proxy.http;

import dev.tpp.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Frames HTTP/1.1 requests strictly: finds each head line by line as its bytes arrive, measuring it
 * against the limits (a request line longer than {@code maxRequestLine}: 414; field lines longer
 * than {@code maxHeaderSize} in all: 431; a line that ends with a bare LF: 400), hands the whole
 * head to {@link RequestHeadParser}, then frames the body (chunked or {@code Content-Length}) with
 * {@link BodyDecoder}. Every byte is searched once, however the client splits its head. Empty lines
 * before a request line are skipped (RFC 9112 §2.2). A refusal is a message or content whose {@code
 * DecoderResult} failed with a {@link RequestRejectedException}; after it, every further byte is
 * dropped until the connection closes. One instance per connection, on its event loop.
 */
public final class StrictRequestDecoder extends ByteToMessageDecoder {
  private final HttpLimits limits;
  private final RequestHeadParser parser;
  private @Nullable BodyDecoder body;
  private boolean failed;

  // the head in progress, as offsets from the buffer's reader index (which stays at its start)
  private int lineStart; // where the line being looked at starts
  private int searched; // how far the line feed of that line was searched for
  private boolean inFields; // the request line is whole: lines are now field lines
  private int fieldBytes; // the whole field lines' bytes, CRLFs not counted
  private int emptyLineBytes; // CR and LF bytes skipped before the request line

  public StrictRequestDecoder(HttpLimits limits) {
    this.limits = limits;
    this.parser = new RequestHeadParser(limits);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      if (body != null) {
        decodeBody(in, out);
        return;
      }
      int end = headEnd(in);
      if (end < 0) {
        return;
      }
      HttpRequest request = parser.parse(in, in.readerIndex(), end);
      in.readerIndex(end);
      lineStart = 0;
      searched = 0;
      inFields = false;
      fieldBytes = 0;
      emptyLineBytes = 0;
      out.add(request);
      BodyDecoder next = parser.body();
      if (next == null) {
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      } else {
        body = next;
      }
    } catch (RequestRejectedException e) {
      fail(out, e);
      in.skipBytes(in.readableBytes());
    }
  }

  private void decodeBody(ByteBuf in, List<Object> out) {
    if (Objects.requireNonNull(body, "body: decodeBody runs while a body is open")
        .decode(in, out)) {
      body = null;
    }
  }

  /**
   * The index just past the empty line that ends the head starting at the reader index, or -1 while
   * it is not all here; throws when a line breaks a limit or ends with a bare LF.
   */
  private int headEnd(ByteBuf in) {
    int base = in.readerIndex();
    int end = in.writerIndex();
    if (!inFields && searched == 0) {
      int at = base;
      while (at < end && (in.getByte(at) == '\r' || in.getByte(at) == '\n')) {
        at++;
      }
      emptyLineBytes += at - base;
      if (emptyLineBytes > limits.maxRequestLine()) {
        throw RequestRejectedException.badRequest(
            "more than " + limits.maxRequestLine() + " bytes of empty lines before a request line");
      }
      in.readerIndex(at);
      base = at;
    }
    while (true) {
      int from = base + searched;
      int lf = from < end ? in.indexOf(from, end, (byte) '\n') : -1;
      int start = base + lineStart;
      if (lf < 0) {
        searched = end - base;
        measure(end - start - (end > start && in.getByte(end - 1) == '\r' ? 1 : 0));
        return -1;
      }
      boolean crlf = lf > start && in.getByte(lf - 1) == '\r';
      int length = lf - start - (crlf ? 1 : 0);
      measure(length);
      if (!crlf) {
        throw RequestRejectedException.badRequest(
            inFields
                ? "a header line does not end with CRLF"
                : "request line does not end with CRLF");
      }
      if (inFields && length == 0) {
        return lf + 1;
      }
      if (inFields) {
        fieldBytes += length;
      }
      inFields = true;
      lineStart = lf + 1 - base;
      searched = lineStart;
    }
  }

  /** Throws when a line of {@code length} bytes (or more, when not whole) breaks its limit. */
  private void measure(int length) {
    if (!inFields && length > limits.maxRequestLine()) {
      throw new RequestRejectedException(
          414, "request line longer than " + limits.maxRequestLine() + " bytes");
    }
    if (inFields && fieldBytes + length > limits.maxHeaderSize()) {
      throw new RequestRejectedException(
          431, "header fields larger than " + limits.maxHeaderSize() + " bytes");
    }
  }

  /**
   * The connection closed: what is whole is still decoded, but a head or body cut short yields
   * nothing (it would be answered and counted as a 400 nobody can read); the dispatcher notices the
   * close.
   */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.isReadable()) {
      decode(ctx, in, out);
    }
  }

  /** Ends the message in progress with {@code cause} and drops everything after it. */
  private void fail(List<Object> out, RequestRejectedException cause) {
    failed = true;
    if (body != null) {
      DefaultLastHttpContent last = new DefaultLastHttpContent();
      last.setDecoderResult(DecoderResult.failure(cause));
      out.add(last);
      body = null;
      return;
    }
    DefaultFullHttpRequest invalid =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
    invalid.setDecoderResult(DecoderResult.failure(cause));
    out.add(invalid);
  }
}
