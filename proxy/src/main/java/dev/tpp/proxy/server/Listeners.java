package dev.tpp.proxy.server;

import dev.tpp.config.Endpoint;
import dev.tpp.proxy.transport.Transport;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data-port listening sockets of one listener (its address and port). They stay open across
 * reloads: closing a listening socket resets the connections still in its accept queue, so a {@code
 * workers} or {@code accept} change re-homes them instead — each socket is deregistered from its
 * old loop (the kernel keeps queueing) and registered on its new one.
 *
 * <p>With {@code reusePort} (io_uring, epoll) socket {@code i}'s connections are served by worker
 * loop {@code i mod N}. On epoll the socket sits on that loop, which also accepts them — nginx's
 * model; on io_uring, where a listening socket cannot change loops ({@link
 * Transport#movesListeners}), it sits on the acceptor thread, which hands each connection to that
 * worker. Otherwise the sockets sit on one long-lived acceptor thread ({@code tpp-acceptor}) that
 * hands each connection to the least-loaded worker. Every socket has SO_REUSEPORT where the
 * transport has it, so a new socket (more workers, or a mode change) can bind beside the old ones.
 * Sockets are only ever added: after a shrink the surplus stays open on loop {@code i mod N},
 * unless the kernel migrates a closing socket's queue ({@code net.ipv4.tcp_migrate_req = 1}), in
 * which case it is closed. Called on the control thread only.
 */
final class Listeners {
  private static final Logger log = LoggerFactory.getLogger("tpp.server");
  private static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

  private final String name;
  private final Endpoint listen;
  private final Transport transport;
  private final ProxyChannelInitializer.Factory initializers;
  private final List<Channel> sockets =
      new CopyOnWriteArrayList<>(); // read by retirement threads too
  private final List<ChildAcceptor> acceptors = new ArrayList<>();
  private @Nullable MultiThreadIoEventLoopGroup acceptor;
  private int port;

  Listeners(
      String name,
      Endpoint listen,
      Transport transport,
      ProxyChannelInitializer.Factory initializers) {
    this.name = name;
    this.listen = listen;
    this.transport = transport;
    this.initializers = initializers;
    this.port = listen.port();
  }

  /**
   * Binds (first call) or re-homes the sockets so that new connections go to {@code workers}, in
   * per-worker mode when {@code reusePort} is asked for and the transport has it. Throws when a
   * socket cannot bind.
   */
  void place(Workers workers, boolean reusePort) throws InterruptedException {
    boolean perWorker = reusePort && transport.supportsReusePort();
    if (reusePort && !perWorker) {
      log.warn(
          "event=reuse_port_unavailable transport={} fallback=least_loaded_acceptor",
          transport.name());
    }
    int wanted = perWorker ? workers.size() : 1;
    for (int i = 0; i < Math.max(wanted, sockets.size()); i++) {
      EventLoop loop =
          perWorker && transport.movesListeners()
              ? workers.loops().get(i % workers.size())
              : acceptorLoop();
      Target target = new Target(workers, perWorker, i);
      if (i < sockets.size()) {
        rehome(sockets.get(i), acceptors.get(i), loop, target);
      } else {
        bind(loop, target);
      }
    }
    if (sockets.size() > wanted && migratesAcceptQueue()) {
      while (sockets.size() > wanted) {
        acceptors.remove(sockets.size() - 1);
        sockets.remove(sockets.size() - 1).close().syncUninterruptibly();
      }
    }
    log.info(
        "event=listening listener={} address={} port={} sockets={} mode={} workers={}",
        name,
        listen.address(),
        port,
        sockets.size(),
        perWorker ? "reuse_port" : "least_loaded_acceptor",
        workers.size());
  }

  private void bind(EventLoop loop, Target target) throws InterruptedException {
    Channel ch = new ReflectiveChannelFactory<>(transport.serverChannel()).newChannel();
    ch.config().setOption(ChannelOption.SO_BACKLOG, 1024);
    ch.config().setOption(ChannelOption.SO_REUSEADDR, true);
    ChannelOption<Boolean> reusePort = transport.reusePort();
    if (reusePort != null) {
      ch.config().setOption(reusePort, true);
    }
    ChildAcceptor handler = new ChildAcceptor(target);
    ch.pipeline().addLast("accept", handler);
    try {
      loop.register(ch).sync();
      ch.bind(new InetSocketAddress(listen.address(), port)).sync();
    } catch (InterruptedException | RuntimeException e) {
      ch.close().syncUninterruptibly();
      throw e;
    }
    port = ((InetSocketAddress) ch.localAddress()).getPort();
    sockets.add(ch);
    acceptors.add(handler);
  }

  /**
   * Moves a listening socket to {@code loop}; while it moves the kernel keeps queueing connections
   * for it. The target changes while the socket is on no loop, so an accept never pairs a loop with
   * another generation.
   */
  private static void rehome(Channel socket, ChildAcceptor acceptor, EventLoop loop, Target target)
      throws InterruptedException {
    if (socket.eventLoop() == loop) {
      acceptor.target = target;
      return;
    }
    socket.deregister().sync();
    acceptor.target = target;
    loop.register(socket).sync();
  }

  /**
   * Returns once every accept that began before this call has handed its connection to a worker
   * loop (a task on each listening socket's loop): after a {@link #place}, no connection can still
   * be on its way to the old workers.
   */
  void awaitAcceptsInFlight() {
    for (Channel socket : sockets) {
      if (socket
          .isRegistered()) { // a later reload may be moving it: then its accepts went through a
        // deregister
        socket.eventLoop().submit(() -> {}).awaitUninterruptibly(1, TimeUnit.SECONDS);
      }
    }
  }

  private EventLoop acceptorLoop() {
    if (acceptor == null) {
      acceptor =
          new MultiThreadIoEventLoopGroup(
              1, new DefaultThreadFactory("tpp-acceptor", false), transport.ioHandlerFactory());
    }
    return acceptor.next();
  }

  private static boolean migratesAcceptQueue() {
    try {
      return Files.readString(MIGRATE_REQ).trim().equals("1");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private boolean closed;

  int port() {
    return port;
  }

  Endpoint endpoint() {
    return listen;
  }

  String name() {
    return name;
  }

  /**
   * Stops accepting: closes the listening sockets (connections already accepted go on). Idempotent.
   */
  synchronized void close() {
    if (closed) {
      return; // drain closed them already; the acceptor loop may be gone by now
    }
    closed = true;
    for (Channel ch : sockets) {
      ch.close().syncUninterruptibly();
    }
    if (acceptor != null) {
      acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /**
   * Where a socket's new connections go: its own worker (per-worker mode: worker {@code index mod
   * N}, the loop the socket sits on unless the transport cannot move listeners) or the least-loaded
   * worker.
   */
  private record Target(Workers workers, boolean ownLoop, int index) {
    /** Socket {@code index}'s own worker, in per-worker mode. */
    EventLoop own() {
      return workers.loops().get(index % workers.size());
    }
  }

  /**
   * Registers each accepted connection on its worker (or, for its TLS handshake, on the handshake
   * loop beside that worker), with the pipeline of that worker generation.
   */
  private final class ChildAcceptor extends ChannelInboundHandlerAdapter {
    volatile Target target;

    ChildAcceptor(Target target) {
      this.target = target;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Channel child = (Channel) msg;
      Target t = target;
      EventLoop loop = t.ownLoop() ? t.own() : t.workers().nextForAccept();
      child.config().setOption(ChannelOption.AUTO_READ, false);
      child.config().setOption(ChannelOption.TCP_NODELAY, true);
      ProxyChannelInitializer init = initializers.create(t.workers(), t.ownLoop(), name, loop);
      child.pipeline().addLast(init);
      init.registrationLoop() // a handshake loop for TLS with a key pool, else the worker itself
          .register(child)
          .addListener(
              f -> {
                if (!f.isSuccess()) {
                  if (!t.ownLoop()) {
                    t.workers().metricsOf(loop).connectionClosed();
                  }
                  child.unsafe().closeForcibly();
                }
              });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      // accept() failures (EMFILE...): pause accepting a moment instead of spinning, as Netty's own
      // acceptor does.
      log.warn("event=accept_failed error=\"{}\"", cause.toString());
      Channel server = ctx.channel();
      server.config().setAutoRead(false);
      server.eventLoop().schedule(() -> server.config().setAutoRead(true), 1, TimeUnit.SECONDS);
    }
  }
}
