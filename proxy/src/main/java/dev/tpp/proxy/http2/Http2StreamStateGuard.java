package dev.tpp.proxy.http2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * Sits in front of the frame codec and judges each HEADERS frame that names a stream the client
 * opened before, at the moment the codec has taken every frame ahead of it, with the RFC 9113
 * answer Netty's decoder does not give:
 *
 * <ul>
 *   <li>a stream the client half-closed, still open on our side: stream error STREAM_CLOSED (§5.1,
 *       "half-closed (remote)"; Netty resets it with PROTOCOL_ERROR);
 *   <li>a stream that is closed, not by our reset: connection error STREAM_CLOSED, or
 *       PROTOCOL_ERROR when the frame is no trailer block (no END_STREAM: a second header block,
 *       §8.1) (Netty resets a stream it no longer knows);
 *   <li>an id below one already opened that the client skipped: connection error PROTOCOL_ERROR
 *       (§5.1.1).
 * </ul>
 *
 * Frames on a stream we reset stay Netty's (§5.1: ignored or reset again). The bytes pass on
 * unchanged and in order; a buffer is cut only before such a HEADERS frame, which a well-behaved
 * client sends only as trailers. The codec decodes every header block (HPACK state stays in step).
 * Event loop only; each buffer read is released here after the slices passed on took their own
 * references.
 */
final class Http2StreamStateGuard extends ChannelInboundHandlerAdapter {
  private static final int FRAME_HEADER_LENGTH = 9;
  private static final int HEADERS = 0x1;
  private static final int END_STREAM = 0x1;

  private final Http2FrameCodec codec;
  private final Http2Metrics metrics;
  private final StreamIdHistory history = new StreamIdHistory();
  private final byte[] header = new byte[FRAME_HEADER_LENGTH];
  private int headerBytes;
  private int prefaceLeft = 24; // the client preface comes first; the codec checks it
  private long payloadLeft;
  private boolean failed;

  Http2StreamStateGuard(Http2FrameCodec codec, Http2Metrics metrics) {
    this.codec = codec;
    this.metrics = metrics;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    codec
        .connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamClosed(Http2Stream stream) {
                if (stream.isResetSent()) {
                  history.resetByUs(stream.id());
                }
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      int passed = in.readerIndex();
      int at = passed;
      int end = in.writerIndex();
      while (at < end && !failed) {
        int n;
        if (prefaceLeft > 0) {
          n = Math.min(prefaceLeft, end - at);
          prefaceLeft -= n;
        } else if (payloadLeft > 0) {
          n = (int) Math.min(payloadLeft, end - at);
          payloadLeft -= n;
        } else {
          n = Math.min(FRAME_HEADER_LENGTH - headerBytes, end - at);
          in.getBytes(at, header, headerBytes, n);
          headerBytes += n;
          if (headerBytes == FRAME_HEADER_LENGTH) {
            headerBytes = 0;
            payloadLeft =
                ((header[0] & 0xffL) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
            int frameStart = Math.max(passed, at + n - FRAME_HEADER_LENGTH);
            if (header[3] == HEADERS && needsJudging(streamId())) {
              pass(
                  ctx, in, passed, frameStart); // the codec takes every frame before this one first
              passed = frameStart;
              failed = !judge(ctx, streamId(), (header[4] & END_STREAM) != 0);
            }
          }
        }
        at += n;
      }
      if (!failed) {
        pass(ctx, in, passed, end);
      }
    } finally {
      in.release();
    }
  }

  private int streamId() {
    return ((header[5] & 0x7f) << 24)
        | ((header[6] & 0xff) << 16)
        | ((header[7] & 0xff) << 8)
        | (header[8] & 0xff);
  }

  /**
   * True for a client stream id at or below the highest one opened so far; a higher one is recorded
   * as opened.
   */
  private boolean needsJudging(int id) {
    return (id & 1) == 1 && !history.openIfNew(id);
  }

  private static void pass(ChannelHandlerContext ctx, ByteBuf in, int from, int to) {
    if (to > from) {
      ctx.fireChannelRead(in.retainedSlice(from, to - from));
    }
  }

  /**
   * Answers a HEADERS frame on stream {@code id}, opened before; false when the connection ends
   * with it.
   */
  private boolean judge(ChannelHandlerContext ctx, int id, boolean endStream) {
    ChannelHandlerContext codecCtx = ctx.pipeline().context(codec);
    Http2Connection connection = codec.connection();
    if (codecCtx == null || connection.goAwaySent()) {
      return true; // after GOAWAY the codec ignores what the client sends
    }
    Http2Stream stream = connection.stream(id);
    if (stream != null) {
      if (!stream.state().remoteSideOpen() && !stream.isResetSent()) {
        metrics.resetByProxy(Http2Error.STREAM_CLOSED.code());
        codec.resetStream(codecCtx, id, Http2Error.STREAM_CLOSED.code(), codecCtx.newPromise());
        codecCtx.flush(); // the codec then ignores the frame: a reset was sent on its stream
      }
      return true;
    }
    if (history.skipped(id)) {
      return fail(
          codecCtx,
          Http2Error.PROTOCOL_ERROR,
          "HEADERS on stream %d, below a stream opened later",
          id);
    }
    if (history.wasResetByUs(id) || id > connection.remote().lastStreamCreated()) {
      return true; // ours to ignore (RFC 9113 §5.1), or refused at creation: the codec answers
    }
    return endStream
        ? fail(codecCtx, Http2Error.STREAM_CLOSED, "HEADERS on closed stream %d", id)
        : fail(
            codecCtx,
            Http2Error.PROTOCOL_ERROR,
            "a second header block without END_STREAM on stream %d",
            id);
  }

  /**
   * A connection error through the codec: GOAWAY with {@code error}, the observer's log line and
   * count, close.
   */
  private boolean fail(ChannelHandlerContext codecCtx, Http2Error error, String message, int id) {
    codec.onError(codecCtx, false, Http2Exception.connectionError(error, message, id));
    return false;
  }
}
