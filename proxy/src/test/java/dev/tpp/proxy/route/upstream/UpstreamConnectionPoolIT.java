package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Await;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The keepalive pool when more connections come back at once than {@code keepaliveConnections}
 * (many requests in flight, as 500 HTTP/2 streams make): the surplus serves the next burst instead
 * of being closed and opened again, and is closed once it stays idle.
 */
class UpstreamConnectionPoolIT {
  private static final int KEEP = 2;
  private static final int BURST = 6;
  private TestOrigin origin;
  private EventLoopGroup group;
  private EventLoop loop;

  @BeforeEach
  void start() throws Exception {
    origin = new TestOrigin();
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    loop = group.next();
  }

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    origin.close();
  }

  private UpstreamConnectionPool pool(int maxIdle) {
    InetSocketAddress address = new InetSocketAddress("127.0.0.1", origin.port());
    UpstreamEndpoint endpoint =
        new UpstreamEndpoint(address, maxIdle, Duration.ofSeconds(1), e -> {});
    return new UpstreamConnectionPool(
        endpoint,
        loop,
        UpstreamBootstrap.forLoop(loop, new NioSocketChannel(), Duration.ofSeconds(1)),
        maxIdle);
  }

  private <T> T onLoop(Callable<T> task) throws Exception {
    return loop.submit(task).get(5, TimeUnit.SECONDS);
  }

  /** A burst of connections, all open at once, as for requests in flight together. */
  private List<UpstreamConnection> connectBurst(UpstreamConnectionPool pool) throws Exception {
    List<UpstreamConnection> burst = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      burst.add(onLoop(pool::connect).get(5, TimeUnit.SECONDS));
    }
    return burst;
  }

  private void releaseAll(UpstreamConnectionPool pool, List<UpstreamConnection> burst)
      throws Exception {
    onLoop(
        () -> {
          burst.forEach(pool::release);
          return null;
        });
  }

  @Test
  void reusesABurstsSurplusForTheNextBurst() throws Exception {
    UpstreamConnectionPool pool = pool(KEEP);
    releaseAll(pool, connectBurst(pool));
    // The origin counts a connection when its accept thread takes it, which can come after the
    // client's connect completed.
    Await.until("the origin accepted the burst", () -> origin.connections.get() == BURST);
    assertEquals(BURST, onLoop(() -> pool.idleChannels().size()), "nothing closed on release");
    for (int round = 0; round < 3; round++) {
      List<UpstreamConnection> next = new ArrayList<>();
      for (int i = 0; i < BURST; i++) {
        UpstreamConnection reused = onLoop(pool::poll);
        assertNotNull(reused, "the next burst finds an idle connection");
        next.add(reused);
      }
      releaseAll(pool, next);
    }
    assertEquals(BURST, origin.connections.get(), "no connection opened again");
    assertTrue(origin.closedConnections.isEmpty(), "no connection closed");
  }

  @Test
  void closesTheSurplusThatStaysIdleLeastRecentlyUsedFirst() throws Exception {
    UpstreamConnectionPool pool = pool(KEEP);
    List<UpstreamConnection> burst = connectBurst(pool);
    releaseAll(pool, burst);
    Await.until(
        "the surplus beyond keepaliveConnections is closed",
        () -> onLoop(() -> pool.idleChannels().size()) == KEEP);
    List<Channel> kept = onLoop(pool::idleChannels);
    List<Channel> lastReleased =
        List.of(burst.get(BURST - 1).channel(), burst.get(BURST - 2).channel());
    assertEquals(lastReleased, kept, "the most recently used ones stay");
    for (int i = 0; i < BURST - KEEP; i++) {
      assertNotNull(
          origin.closedConnections.poll(5, TimeUnit.SECONDS), "the origin sees the surplus close");
    }
    assertTrue(kept.stream().allMatch(Channel::isActive));
  }

  @Test
  void closesAtOnceWhenItKeepsNone() throws Exception {
    UpstreamConnectionPool pool = pool(0);
    UpstreamConnection c = onLoop(pool::connect).get(5, TimeUnit.SECONDS);
    releaseAll(pool, List.of(c));
    assertTrue(c.channel().closeFuture().await(5, TimeUnit.SECONDS));
    assertFalse(onLoop(() -> pool.poll() != null));
  }

  @Test
  void closeClosesTheSurplusToo() throws Exception {
    UpstreamConnectionPool pool = pool(KEEP);
    List<UpstreamConnection> burst = connectBurst(pool);
    releaseAll(pool, burst);
    onLoop(
        () -> {
          pool.close();
          return null;
        });
    for (UpstreamConnection c : burst) {
      assertTrue(c.channel().closeFuture().await(5, TimeUnit.SECONDS));
    }
  }
}
