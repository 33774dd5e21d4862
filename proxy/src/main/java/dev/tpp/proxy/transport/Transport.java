package dev.tpp.proxy.transport;

import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport every loop and channel of one process uses: io_uring where the kernel lets
 * the process use it (Linux 5.14+, not refused by a seccomp profile), else native epoll, else NIO.
 * io_uring is first because it hands the loop its completions in the order they happened and costs
 * less kernel time per request than Netty's level-triggered epoll (bench/README.md, round seven).
 * {@code -Dtpp.transport=io_uring|epoll|nio} asks for one; an unavailable one falls back down the
 * same list. {@code reusePort} is the SO_REUSEPORT option of the transport, null for NIO.
 */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerChannel> serverChannel,
    Class<? extends SocketChannel> socketChannel,
    @Nullable ChannelOption<Boolean> reusePort) {
  private static final Logger log = LoggerFactory.getLogger("tpp.server");

  public boolean supportsReusePort() {
    return reusePort != null;
  }

  /**
   * Whether a listening socket can leave its loop for another (a reload that changes {@code
   * workers}). Netty 4.2.18's io_uring cannot: the deregister of a socket with a multishot accept
   * armed never completes, and without multishot accept the socket's accept-address memory is freed
   * at the deregister and written by the kernel after the next register (glibc aborts). So on
   * io_uring listening sockets sit on the long-lived acceptor loop in every mode.
   */
  public boolean movesListeners() {
    return !name.equals("io_uring");
  }

  /**
   * The transport asked for by {@code tpp.transport} (default io_uring), or the next that loads.
   */
  public static Transport best() {
    String wanted = System.getProperty("tpp.transport", "io_uring").toLowerCase(Locale.ROOT);
    if (Boolean.getBoolean("tpp.nio")) {
      wanted = "nio";
    }
    switch (wanted) {
      case "io_uring", "epoll", "nio" -> {}
      default ->
          throw new IllegalArgumentException(
              "tpp.transport: unknown transport \"" + wanted + "\" (io_uring, epoll or nio)");
    }
    if (wanted.equals("io_uring")) {
      if (IoUring.isAvailable()) {
        return ioUring();
      }
      log.info(
          "event=transport_unavailable transport=io_uring fallback=epoll error=\"{}\"",
          String.valueOf(IoUring.unavailabilityCause()));
      wanted = "epoll";
    }
    if (wanted.equals("epoll")) {
      if (Epoll.isAvailable()) {
        return epoll();
      }
      log.info(
          "event=transport_unavailable transport=epoll fallback=nio error=\"{}\"",
          String.valueOf(Epoll.unavailabilityCause()));
    }
    return nio();
  }

  static Transport ioUring() {
    return new Transport(
        "io_uring",
        IoUringIoHandler.newFactory(),
        IoUringServerSocketChannel.class,
        IoUringSocketChannel.class,
        IoUringChannelOption.SO_REUSEPORT);
  }

  static Transport epoll() {
    return new Transport(
        "epoll",
        EpollIoHandler.newFactory(),
        EpollServerSocketChannel.class,
        EpollSocketChannel.class,
        EpollChannelOption.SO_REUSEPORT);
  }

  static Transport nio() {
    return new Transport(
        "nio",
        NioIoHandler.newFactory(),
        NioServerSocketChannel.class,
        NioSocketChannel.class,
        null);
  }
}
