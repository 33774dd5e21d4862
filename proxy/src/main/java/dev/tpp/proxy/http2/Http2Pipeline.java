package dev.tpp.proxy.http2;

import dev.tpp.config.Http2Config;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns a client connection into an HTTP/2 connection: the frame codec (with the configured
 * SETTINGS and flood limits) behind {@link Http2StreamStateGuard} (RFC 9113's answers to frames on
 * streams no longer open), the observer (metrics, idle and stall timeouts, one log line per
 * connection error), and the multiplexer that gives each stream a child channel. A stream's
 * pipeline converts frames to the same {@code HttpRequest} / {@code HttpContent} objects an
 * HTTP/1.1 connection decodes, then runs the same HTTP handlers, ending in the same dispatcher: one
 * request path for both protocols. Called on the connection's event loop.
 */
public final class Http2Pipeline {
  /**
   * Adds the HTTP handlers that end a stream's pipeline (the server's dispatcher and what it
   * needs).
   */
  public interface StreamHandlers {
    void addTo(ChannelPipeline stream);
  }

  /** The HTTP/1.1 handlers an upgrading connection drops (they saw none of its bytes). */
  private static final List<String> HTTP1 = List.of("timeouts", "decoder", "encoder", "dispatch");

  private Http2Pipeline() {}

  /**
   * Replaces the HTTP/1.1 handlers of {@code ch} with HTTP/2. The connection then reads on its own
   * (AUTO_READ): the streams' flow-control windows, not the socket, bound what a client may send
   * ahead.
   */
  public static void install(
      Channel ch,
      Http2Config limits,
      long idleTimeoutNanos,
      long shutdownMillis,
      Http2Metrics metrics,
      StreamHandlers handlers) {
    ChannelPipeline p = ch.pipeline();
    for (String name : HTTP1) {
      if (p.get(name) != null) {
        p.remove(name);
      }
    }
    Http2FrameCodec codec = codec(limits, shutdownMillis);
    // one TLS wrap and one socket write per loop turn, not per stream: a stream answered outside
    // the connection's
    // read (its first read waits a loop task, see Http2RequestAdapter; a proxied answer comes from
    // the origin's read)
    // would otherwise flush, wrap and write(2) its response alone
    p.addLast("h2-flush", new FlushConsolidationHandler(FLUSHES_PER_WRITE, true))
        .addLast(
            "h2-timeouts",
            new IdleStateHandler(
                0, limits.stallTimeout().toNanos(), idleTimeoutNanos, TimeUnit.NANOSECONDS))
        .addLast("h2-guard", new Http2StreamStateGuard(codec, metrics))
        .addLast("h2", codec)
        .addLast("h2-observer", new Http2ConnectionObserver(codec, metrics))
        .addLast(
            "h2-streams",
            new Http2MultiplexHandler(
                new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel stream) {
                    stream.config().setAutoRead(false);
                    metrics.streamOpened();
                    stream.closeFuture().addListener(f -> metrics.streamClosed());
                    stream
                        .pipeline()
                        .addLast("h2-http", Http2StreamCodec.INSTANCE)
                        .addLast("h2-request", new Http2RequestAdapter(metrics));
                    handlers.addTo(stream.pipeline());
                  }
                }));
    ch.config().setAutoRead(true);
    metrics.connectionOpened();
    ch.closeFuture().addListener(f -> metrics.connectionClosed());
  }

  private static Http2FrameCodec codec(Http2Config limits, long shutdownMillis) {
    Http2Settings settings =
        Http2Settings.defaultSettings()
            .maxConcurrentStreams(limits.maxConcurrentStreams())
            .maxHeaderListSize(limits.maxHeaderListSize())
            .headerTableSize(limits.headerTableSize())
            .maxFrameSize(limits.maxFrameSize())
            .initialWindowSize(limits.initialWindowSize());
    return Http2FrameCodecBuilder.forServer()
        .initialSettings(settings)
        .validateHeaders(true)
        .validateRequiredPseudoHeaders(true)
        .gracefulShutdownTimeoutMillis(shutdownMillis)
        .decoderEnforceMaxRstFramesPerWindow(
            limits.maxResets(), (int) limits.resetWindow().toSeconds())
        .decoderEnforceMaxSmallContinuationFrames(limits.maxContinuationFrames())
        .decoderEnforceMaxConsecutiveEmptyDataFrames(limits.maxEmptyFrames())
        .encoderEnforceMaxQueuedControlFrames(limits.maxQueuedControlFrames())
        .build();
  }

  /** True when {@code ch} is one stream of an HTTP/2 connection. */
  public static boolean isStream(Channel ch) {
    return ch instanceof Http2StreamChannel;
  }

  /** True when {@code ch} speaks HTTP/2. */
  public static boolean isHttp2(Channel ch) {
    return ch.pipeline().get(Http2FrameCodec.class) != null;
  }

  /**
   * Drains an HTTP/2 connection in two steps, as nginx and Envoy do: a first GOAWAY (NO_ERROR) with
   * the largest stream id tells the client to open no more streams here without refusing any it may
   * have sent meanwhile; after {@link #DRAIN_GRACE_MS} the second GOAWAY names the last stream
   * served, the streams in flight finish, then the connection closes (at the latest after the
   * codec's graceful-shutdown timeout, {@code shutdownTimeout}). Once per connection: a connection
   * accepted during a reload may be told twice (by the retiring sweep and as it turns HTTP/2). Any
   * thread.
   */
  public static void drain(Channel ch) {
    ch.eventLoop()
        .execute(
            () -> {
              if (!ch.isActive() || ch.attr(DRAINING).getAndSet(Boolean.TRUE) != null) {
                return;
              }
              DefaultHttp2GoAwayFrame announce = new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR);
              announce.setExtraStreamIds(
                  Integer.MAX_VALUE); // last-stream-id 2^31-1: nothing the client sent is refused
              ch.writeAndFlush(announce);
              ch.eventLoop()
                  .schedule(
                      () -> {
                        if (!ch.isActive()) {
                          return;
                        }
                        // The second GOAWAY must be written here: Http2ConnectionHandler.close
                        // sends none once one went out (netty#5307), and the client would go on
                        // opening streams up to 2^31-1 that the close then cuts unanswered.
                        ch.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
                        ch.close(); // waits for the streams up to the last one named
                      },
                      DRAIN_GRACE_MS,
                      TimeUnit.MILLISECONDS);
            });
  }

  /** Set on a connection once its drain has begun. */
  private static final AttributeKey<Boolean> DRAINING = AttributeKey.valueOf("tpp.http2.draining");

  /**
   * Flushes merged into one write at most: bounds the bytes held back when many streams answer in
   * one loop turn.
   */
  static final int FLUSHES_PER_WRITE = 64;

  /**
   * Between the two GOAWAYs of a drain: far more than a round trip, far less than a shutdown
   * timeout.
   */
  static final long DRAIN_GRACE_MS = 1000;
}
