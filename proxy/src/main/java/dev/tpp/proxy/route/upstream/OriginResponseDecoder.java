package dev.tpp.proxy.route.upstream;

import dev.tpp.proxy.http.BodyDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Decodes an origin's responses for the relay, in place of Netty's {@code HttpClientCodec} decoder:
 * the head becomes the connection's {@link OriginHead} (offsets into the received bytes, no header
 * objects), the body the same {@code HttpContent} pieces as before — framed by {@code
 * Content-Length}, chunked ({@link BodyDecoder}, trailers dropped), or until the connection closes
 * — and a response to HEAD, a 1xx, 204 or 304 has none. Everything is passed on as soon as it is
 * decoded (not collected in {@code out}), for the head is valid only while its bytes are in the
 * buffer. A malformed response becomes a {@link LastHttpContent} whose {@code DecoderResult}
 * failed, and every later byte is dropped. One per upstream connection, on its event loop.
 */
final class OriginResponseDecoder extends ByteToMessageDecoder {
  private static final int MAX_TRAILERS = OriginHeadParser.MAX_FIELDS;
  private final OriginHead head = new OriginHead();
  private final List<Object> pieces = new ArrayList<>(4);
  private @Nullable BodyDecoder body;
  private @Nullable BodyDecoder fixedSpare; // restarted for each fixed-length body
  private boolean untilClose;
  private boolean headRequest;
  private boolean failed;

  /** The request about to be sent has {@code method}: the answer to a HEAD has no body. */
  void expectResponseTo(HttpMethod method) {
    headRequest = HttpMethod.HEAD.equals(method);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (failed) {
      in.skipBytes(in.readableBytes());
      return;
    }
    try {
      if (untilClose) {
        ctx.fireChannelRead(new DefaultHttpContent(in.readRetainedSlice(in.readableBytes())));
      } else if (body != null) {
        decodeBody(ctx, in);
      } else {
        decodeHead(ctx, in);
      }
    } catch (RuntimeException e) { // MalformedResponseException, or the body decoder's refusal
      fail(ctx, e);
      in.skipBytes(in.readableBytes());
    }
  }

  private void decodeHead(ChannelHandlerContext ctx, ByteBuf in) {
    int start = in.readerIndex();
    while (start < in.writerIndex() && in.getByte(start) >= 0 && in.getByte(start) <= ' ') {
      start++; // line ends and whitespace before a status line are skipped, as Netty did
    }
    in.readerIndex(start);
    int end = start == in.writerIndex() ? -1 : OriginHeadParser.parse(in, start, head);
    if (end < 0) {
      return;
    }
    boolean empty = chooseBody();
    in.readerIndex(end);
    ctx.fireChannelRead(head); // the bytes stay in the buffer while the relay reads them
    if (empty) {
      ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }

  /** Sets up the body's framing (before the head is passed on); true when it is empty. */
  private boolean chooseBody() {
    int status = head.status();
    if (status == 101) {
      throw new MalformedResponseException("101 Switching Protocols, but no upgrade was asked");
    }
    if (head.isInterim()) {
      return false; // no body, and no end either: the final response follows
    }
    if (headRequest || status == 204 || status == 304) {
      return true;
    }
    if (head.transferEncoding && head.chunked) {
      body = BodyDecoder.chunked(MAX_TRAILERS);
    } else if (head.contentLength() > 0) {
      BodyDecoder spare = fixedSpare;
      body =
          spare != null
              ? spare.restartFixed(head.contentLength())
              : (fixedSpare = BodyDecoder.fixed(head.contentLength()));
    } else if (head.contentLength() == 0) {
      return true;
    } else {
      untilClose = true; // no length, or a coding other than chunked last (RFC 9112 §6.3)
      head.keepAlive = false;
    }
    return false;
  }

  private void decodeBody(ChannelHandlerContext ctx, ByteBuf in) {
    RuntimeException refused = null;
    try {
      if (Objects.requireNonNull(body, "body: decodeBody runs while a body is open")
          .decode(in, pieces)) {
        body = null;
      }
    } catch (RuntimeException e) {
      // What was framed before the fault still goes first, as it would have from an earlier read:
      // the outcome must not depend on how the bytes were split.
      refused = e;
    }
    for (int i = 0; i < pieces.size(); i++) {
      ctx.fireChannelRead(pieces.get(i));
    }
    pieces.clear();
    if (refused != null) {
      throw refused;
    }
  }

  /**
   * The origin closed: a body that runs until then is complete; a head cut short is malformed; a
   * body cut short yields nothing, and the call hears of the close.
   */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    if (in.isReadable()) {
      decode(ctx, in, out);
    }
    if (failed) {
      return;
    }
    if (untilClose) {
      untilClose = false;
      ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
    } else if (body == null && in.isReadable()) {
      fail(ctx, new MalformedResponseException("connection closed inside the response head"));
    }
  }

  private void fail(ChannelHandlerContext ctx, RuntimeException cause) {
    failed = true;
    body = null;
    untilClose = false;
    LastHttpContent invalid =
        new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, EmptyHttpHeaders.INSTANCE);
    invalid.setDecoderResult(DecoderResult.failure(cause));
    ctx.fireChannelRead(invalid);
  }
}
