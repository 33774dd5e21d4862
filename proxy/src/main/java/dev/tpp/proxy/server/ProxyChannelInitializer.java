package dev.tpp.proxy.server;

import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.http.ConnectionTimeouts;
import dev.tpp.proxy.http.StrictRequestDecoder;
import dev.tpp.proxy.metrics.WorkerMetrics;
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
 * timeouts -> decoder -> encoder -> expect -> flow -> chunked -> dispatch
 * </pre>
 *
 * The connection is counted on its worker, joins the server's and its worker generation's channel groups (for
 * draining), and reads only when the dispatcher asks (AUTO_READ off, set by the acceptor). A connection that lands on
 * a worker generation that is already retiring drains at once.
 */
final class ProxyChannelInitializer extends ChannelInitializer<SocketChannel> {
  /** Makes initializers that share the server's state; {@code countOnInit} as in the constructor. */
  interface Factory {
    ProxyChannelInitializer create(Workers workers, boolean countOnInit);
  }

  private final ServerState server;
  private final Workers workers;
  private final ChannelGroup connections;
  private final boolean countOnInit;

  /** {@code countOnInit}: count the connection here (per-worker sockets) rather than in the acceptor's chooser. */
  ProxyChannelInitializer(ServerState server, Workers workers, ChannelGroup connections, boolean countOnInit) {
    this.server = server;
    this.workers = workers;
    this.connections = connections;
    this.countOnInit = countOnInit;
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
    ch.pipeline()
        .addLast("timeouts", timeouts)
        .addLast("decoder", new StrictRequestDecoder(config.http()))
        .addLast("encoder", new HttpResponseEncoder())
        .addLast("expect", new HttpServerExpectContinueHandler())
        .addLast("flow", new FlowControlHandler())
        .addLast("chunked", new ChunkedWriteHandler())
        .addLast("dispatch", new HttpDispatchHandler(server, timeouts));
    if (workers.retiring()) {
      HttpDispatchHandler.drain(ch); // accepted just before the hand-over; the retiring sweep may have missed it
    }
  }
}
