package dev.tpp.proxy.http;

import dev.tpp.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Netty's request decoder for the head, made strict, and our own {@link BodyDecoder} for the body.
 * Before Netty splits a request line, {@link RequestLine} checks its raw bytes; once Netty has the
 * headers, {@link RequestHeadRules} checks them; then the body (chunked or {@code Content-Length})
 * is framed by {@link BodyDecoder}, which refuses every malformed chunk Netty would let through. A
 * refusal is a message or content whose {@code DecoderResult} failed with a {@link
 * RequestRejectedException} (or Netty's own exception); after it, every further byte is dropped
 * until the connection closes. One instance per connection, on its event loop.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
  private final HttpLimits limits;
  private boolean lineChecked; // the request line of the message in progress passed RequestLine
  private @Nullable BodyDecoder
      nextBody; // chosen from the head Netty is parsing, taken over once Netty has emitted it
  private @Nullable BodyDecoder body;
  private boolean failed;

  public StrictRequestDecoder(HttpLimits limits) {
    super(
        new HttpDecoderConfig()
            .setMaxInitialLineLength(limits.maxRequestLine())
            .setMaxHeaderSize(limits.maxHeaderSize())
            .setMaxChunkSize(64 * 1024)
            .setValidateHeaders(true));
    this.limits = limits;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      if (body != null) {
        decodeBody(in, out);
        return;
      }
      if (!lineChecked && !checkRequestLine(in)) {
        return;
      }
      int before = out.size();
      super.decode(ctx, in, out);
      afterHead(out, before);
    } catch (RequestRejectedException e) {
      fail(out, e);
      in.skipBytes(in.readableBytes());
    }
  }

  private void decodeBody(ByteBuf in, List<Object> out) {
    if (Objects.requireNonNull(body, "body: decodeBody runs while a body is open")
        .decode(in, out)) {
      body = null;
      lineChecked = false;
    }
  }

  /** False when the line is not all here yet; throws when it is malformed. */
  private boolean checkRequestLine(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    while (start < end && (in.getByte(start) == '\r' || in.getByte(start) == '\n')) {
      start++; // empty lines before a request line are ignored (RFC 9112 §2.2)
    }
    int lf = in.indexOf(start, Math.min(end, start + limits.maxRequestLine() + 2), (byte) '\n');
    if (lf < 0) {
      return end - start > limits.maxRequestLine() + 1; // let Netty answer 414 for an overlong line
    }
    RequestLine.check(in, start, lf);
    lineChecked = true;
    return true;
  }

  /**
   * Netty emitted a head (and an empty last content, for it was told there is no body): hand the
   * body to ours.
   */
  private void afterHead(List<Object> out, int before) {
    for (int i = before; i < out.size(); i++) {
      Object msg = out.get(i);
      if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
        failed = true;
        return;
      }
      BodyDecoder next = nextBody;
      if (msg instanceof LastHttpContent && next == null) {
        lineChecked = false;
      } else if (msg instanceof LastHttpContent
          && i > before
          && out.get(i - 1) instanceof HttpRequest request) {
        out.remove(i);
        next = Objects.requireNonNull(next, "nextBody: the branch above takes an end without one");
        if (next.isChunked()) {
          request
              .headers()
              .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED); // Netty removed it
        }
        body = next;
        nextBody = null;
        return;
      }
    }
  }

  /**
   * Called by Netty once it has the headers, before it frames the body: our checks run here (a
   * throw makes Netty emit an invalid message), and every body is declared empty so that Netty
   * leaves the bytes to {@link BodyDecoder}.
   */
  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage msg) {
    RequestHeadRules.check((HttpRequest) msg, limits);
    nextBody = null;
    if (HttpUtil.isTransferEncodingChunked(msg)) {
      nextBody = BodyDecoder.chunked(limits.maxHeaderSize());
    } else {
      long length = HttpUtil.getContentLength(msg, 0L);
      if (length > 0) {
        nextBody = BodyDecoder.fixed(length);
      }
    }
    return true;
  }

  /**
   * The connection closed: what is whole is still decoded, but a head or body cut short yields
   * nothing (Netty would emit an invalid message there, which would be answered and counted as a
   * 400 nobody can read); the dispatcher notices the close.
   */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out)
      throws Exception {
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

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw RequestRejectedException.badRequest("Content-Length and Transfer-Encoding together");
  }
}
