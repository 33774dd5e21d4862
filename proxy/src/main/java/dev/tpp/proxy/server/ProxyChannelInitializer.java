package dev.tpp.proxy.server;

import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.http.ConnectionTimeouts;
import dev.tpp.proxy.http.Schemes;
import dev.tpp.proxy.http.StrictRequestDecoder;
import dev.tpp.proxy.metrics.WorkerMetrics;
import dev.tpp.proxy.route.redirect.HttpsRedirect;
import dev.tpp.proxy.tls.ListenerTls;
import dev.tpp.proxy.tls.TlsPipeline;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.stream.ChunkedWriteHandler;

/**
 * Builds every client connection's pipeline — the architecture in one place:
 *
 * <pre>
 * [tls -> tls-observer ->] timeouts -> decoder -> encoder -> expect -> flow -> chunked -> dispatch
 * </pre>
 *
 * The TLS handlers come first on a TLS listener, with the certificates in force when the connection was accepted.
 * The connection is counted on its worker, joins the server's and its worker generation's channel groups (for
 * draining), and reads only when the dispatcher asks (AUTO_READ off, set by the acceptor). A connection that lands on
 * a worker generation that is already retiring drains at once.
 */
final class ProxyChannelInitializer extends ChannelInitializer<SocketChannel> {
  /** Makes initializers that share the server's state; {@code countOnInit} as in the constructor. */
  interface Factory {
    ProxyChannelInitializer create(Workers workers, boolean countOnInit, String listener);
  }

  private final ServerState server;
  private final Workers workers;
  private final ChannelGroup connections;
  private final boolean countOnInit;
  private final String listener;

  /**
   * {@code countOnInit}: count the connection here (per-worker sockets) rather than in the acceptor's chooser;
   * {@code listener}: the name of the listener that accepted it.
   */
  ProxyChannelInitializer(ServerState server, Workers workers, ChannelGroup connections, boolean countOnInit,
      String listener) {
    this.server = server;
    this.workers = workers;
    this.connections = connections;
    this.countOnInit = countOnInit;
    this.listener = listener;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    WorkerMetrics worker = workers.metricsOf(ch.eventLoop());
    if (countOnInit) {
      worker.connectionOpened();
    }
    ch.closeFuture().addListener(f -> worker.connectionClosed());
    connections.add(ch);
    workers.channels().add(ch);

    ProxyConfig config = server.generation().config();
    ConnectionTimeouts timeouts = new ConnectionTimeouts(config.keepalive().idleTimeout().toNanos(),
        config.http().headerTimeout().toNanos());
    ListenerTls tls = server.tls().forListener(listener);
    if (tls != null) {
      TlsPipeline.install(ch.pipeline(), tls, server.tls());
      ch.attr(Schemes.HTTPS).set(Boolean.TRUE);
    }
    ch.pipeline()
        .addLast("timeouts", timeouts)
        .addLast("decoder", new StrictRequestDecoder(config.http()))
        .addLast("encoder", new HttpResponseEncoder())
        .addLast("expect", new HttpServerExpectContinueHandler())
        .addLast("flow", new FlowControlHandler())
        .addLast("chunked", new ChunkedWriteHandler())
        .addLast("dispatch", new HttpDispatchHandler(server, timeouts, HttpsRedirect.route(config, listener)));
    if (workers.retiring()) {
      HttpDispatchHandler.drain(ch); // accepted just before the hand-over; the retiring sweep may have missed it
    }
  }
}
