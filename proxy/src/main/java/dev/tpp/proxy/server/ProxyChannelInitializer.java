package dev.tpp.proxy.server;

import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.http.ConnectionTimeouts;
import dev.tpp.proxy.http.Http1ResponseEncoder;
import dev.tpp.proxy.http.Schemes;
import dev.tpp.proxy.http.StrictRequestDecoder;
import dev.tpp.proxy.http2.H2cPrefaceDetector;
import dev.tpp.proxy.http2.Http2Negotiation;
import dev.tpp.proxy.http2.Http2Pipeline;
import dev.tpp.proxy.metrics.WorkerMetrics;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.route.Route;
import dev.tpp.proxy.route.redirect.HttpsRedirect;
import dev.tpp.proxy.tls.ListenerTls;
import dev.tpp.proxy.tls.TlsHandoff;
import dev.tpp.proxy.tls.TlsPipeline;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.ApplicationProtocolNames;
import org.jspecify.annotations.Nullable;

/**
 * Builds every client connection's pipeline — the architecture in one place:
 *
 * <pre>
 * [tls -> tls-observer ->] timeouts -> decoder -> encoder -> expect -> flow -> chunked -> dispatch
 * </pre>
 *
 * The TLS handlers come first on a TLS listener, with the certificates in force when the connection
 * was accepted. When the listener's key pool has threads, the connection first registers on a
 * handshake loop ({@link #registrationLoop}) with only {@code tls -> tls-observer -> tls-handoff};
 * the handoff moves it to its worker loop once the handshake is done, and the HTTP handlers (or
 * HTTP/2, as ALPN chose) are built there ({@link #afterHandshake}). On a listener with {@code
 * http2: true}, {@code alpn} (TLS) or {@code h2c} (plain: the client preface) may turn the
 * connection into HTTP/2 before its first request: see {@link #toHttp2}. The connection is counted
 * on its worker, joins the server's and its worker generation's channel groups (for draining), and
 * reads only when the dispatcher asks (AUTO_READ off, set by the acceptor). A connection that lands
 * on a worker generation that is already retiring drains at once.
 */
final class ProxyChannelInitializer extends ChannelInitializer<SocketChannel> {
  /**
   * Makes initializers that share the server's state; {@code countOnInit} as in the constructor.
   */
  interface Factory {
    ProxyChannelInitializer create(
        Workers workers, boolean countOnInit, String listener, EventLoop serving);
  }

  private final ServerState server;
  private final Workers workers;
  private final ChannelGroup connections;
  private final boolean countOnInit;
  private final String listener;
  private final EventLoop serving;
  private @Nullable ListenerTls tls; // the listener's certificates when the connection was accepted
  private boolean placed; // registrationLoop() ran
  private boolean handshakeApart; // the handshake runs on a handshake loop, then moves to serving

  /**
   * {@code countOnInit}: count the connection here (per-worker sockets) rather than in the
   * acceptor's chooser; {@code listener}: the name of the listener that accepted it; {@code
   * serving}: the worker loop that serves it.
   */
  ProxyChannelInitializer(
      ServerState server,
      Workers workers,
      ChannelGroup connections,
      boolean countOnInit,
      String listener,
      EventLoop serving) {
    this.server = server;
    this.workers = workers;
    this.connections = connections;
    this.countOnInit = countOnInit;
    this.listener = listener;
    this.serving = serving;
  }

  /**
   * Where the connection registers: for a TLS listener whose key pool has threads, the handshake
   * loop beside its worker (at the pool's priority), so that the handshake costs the worker loop
   * nothing; otherwise the worker loop itself ({@code threads: 0} handshakes and signs there, for
   * comparison). Called by the acceptor, once, before the registration.
   */
  EventLoop registrationLoop() {
    tls = server.tls().forListener(listener);
    OffloadPool signer = tls == null ? null : server.tls().signingPool(tls);
    EventLoop loop = signer == null ? serving : workers.handshakeLoop(serving, signer.priority());
    handshakeApart = loop != serving;
    placed = true;
    return loop;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    WorkerMetrics worker = workers.metricsOf(serving);
    if (countOnInit) {
      worker.connectionOpened();
    }
    ch.closeFuture().addListener(f -> worker.connectionClosed());
    worker.attach(ch);
    int limit = server.generation().config().accept().maxConnectionsPerWorker();
    if (limit > 0 && worker.activeConnections() > limit) {
      worker.connectionRejected();
      ch.close(); // beyond the worker's accept.maxConnectionsPerWorker: closed before anything is
      // read
      return;
    }
    connections.add(ch);
    workers.channels().add(ch);

    ProxyConfig config = server.generation().config();
    boolean http2 = http2(config);
    if (!placed) {
      tls = server.tls().forListener(listener); // registered on serving by a caller of its own
    }
    if (tls != null) {
      TlsPipeline.install(ch.pipeline(), tls, server.tls());
      ch.attr(Schemes.HTTPS).set(Boolean.TRUE);
      if (handshakeApart) {
        ch.pipeline()
            .addLast(
                "tls-handoff",
                new TlsHandoff(serving, (handoff, protocol) -> afterHandshake(handoff, protocol)));
        return;
      }
      if (http2) {
        ch.pipeline().addLast("alpn", new Http2Negotiation(ctx -> toHttp2(ctx.channel(), config)));
      }
    } else if (http2) {
      ch.pipeline().addLast("h2c", new H2cPrefaceDetector(ctx -> toHttp2(ctx.channel(), config)));
    }
    addHttp1(ch.pipeline(), server, config, HttpsRedirect.route(config, listener));
    if (workers.retiring()) {
      ConnectionLifecycle.drain(
          ch); // accepted just before the hand-over; the retiring sweep may have missed it
    }
  }

  /**
   * On the serving loop, the handshake done apart: HTTP/2 if ALPN chose it, else the HTTP/1.1
   * handlers, which then see the connection become active. The config is the one in force now.
   */
  private void afterHandshake(ChannelHandlerContext handoff, String protocol) {
    Channel ch = handoff.channel();
    ProxyConfig config = server.generation().config();
    if (ApplicationProtocolNames.HTTP_2.equals(protocol) && http2(config)) {
      toHttp2(ch, config);
      return;
    }
    addHttp1(ch.pipeline(), server, config, HttpsRedirect.route(config, listener));
    handoff.fireChannelActive();
    if (workers.retiring() || server.draining()) {
      ConnectionLifecycle.drain(ch); // told to drain while its handshake ran
    }
  }

  /**
   * The HTTP/1.1 handlers every connection ends in, after TLS and HTTP/2 detection: the one place
   * they are listed, so that the request-decoding fuzz test drives exactly this chain. {@code
   * fixedRoute} answers every request (the HTTPS redirect of a plain listener), or is null.
   */
  static void addHttp1(
      ChannelPipeline pipeline,
      ServerState server,
      ProxyConfig config,
      @Nullable Route fixedRoute) {
    ConnectionTimeouts timeouts =
        new ConnectionTimeouts(
            config.keepalive().idleTimeout().toNanos(), config.http().headerTimeout().toNanos());
    pipeline
        .addLast("timeouts", timeouts)
        .addLast("decoder", new StrictRequestDecoder(config.http()))
        .addLast("encoder", new Http1ResponseEncoder())
        .addLast(
            "dispatch",
            new HttpDispatchHandler(server, timeouts, LingeringClose.SOCKET, fixedRoute));
  }

  private boolean http2(ProxyConfig config) {
    return config.allListeners().stream().anyMatch(l -> l.name().equals(listener) && l.http2());
  }

  /**
   * ALPN chose h2, or the client opened with the h2c preface: the HTTP/1.1 handlers give way to
   * HTTP/2, and every stream ends in the same handlers an HTTP/1.1 request meets (no decoder: the
   * stream's frames are already parsed), the same dispatcher with the stream's way of lingering.
   */
  private void toHttp2(Channel ch, ProxyConfig config) {
    Http2Pipeline.install(
        ch,
        config.http2(),
        config.keepalive().idleTimeout().toNanos(),
        config.shutdownTimeout().toMillis(),
        server.http2Metrics(),
        stream ->
            stream.addLast(
                "dispatch",
                new HttpDispatchHandler(
                    server, ConnectionTimeouts.untimed(), LingeringClose.STREAM, null)));
    if (workers.retiring() || server.draining()) {
      Http2Pipeline.drain(ch); // it was told to drain as HTTP/1.1, whose dispatcher just gave way
    }
  }
}
