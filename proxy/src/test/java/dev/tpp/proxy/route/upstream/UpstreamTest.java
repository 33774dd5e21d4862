package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.UpstreamConfig;
import dev.tpp.config.UpstreamConfig.HostPort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamTest {

  @Test
  void registersEveryOutcomeAtZero() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new Upstream(UpstreamITSupport.config(1, 4, Duration.ofSeconds(1)), registry);
    for (String outcome : List.of("ok", "connect_error", "timeout", "reset")) {
      assertEquals(
          0.0,
          registry
              .get("tpp.upstream.requests")
              .tag("upstream", "backend")
              .tag("outcome", outcome)
              .counter()
              .count());
    }
  }

  @Test
  void rejectsAnUpstreamWithoutEndpoints() {
    UpstreamConfig empty =
        new UpstreamConfig("none", List.of(), 0, Duration.ofSeconds(1), Duration.ofSeconds(1));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Upstream(empty, new SimpleMeterRegistry()));
    assertEquals("endpoints: [] (expected: at least one host:port)", e.getMessage());
  }

  private static double endpoints(SimpleMeterRegistry registry, String state) {
    return registry
        .get("tpp.upstream.endpoints")
        .tag("upstream", "backend")
        .tag("state", state)
        .gauge()
        .value();
  }

  @Test
  void keepsKnownEndpointsAndDrainsRemovedOnes() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Upstream upstream =
        new Upstream(UpstreamITSupport.config(1, 4, Duration.ofSeconds(1)), registry)) {
      InetSocketAddress a = new InetSocketAddress("127.0.0.2", 80);
      InetSocketAddress b = new InetSocketAddress("127.0.0.3", 80);
      upstream.update(List.of(a, b));
      UpstreamEndpoint kept = upstream.endpoints().get(1);
      UpstreamEndpoint busy = upstream.endpoints().get(0);
      busy.started();
      upstream.update(List.of(b, new InetSocketAddress("127.0.0.4", 80)));
      assertSame(kept, upstream.endpoints().get(0), "a known endpoint keeps its pools and health");
      assertTrue(busy.removed());
      assertEquals(2.0, endpoints(registry, "healthy"));
      assertEquals(1.0, endpoints(registry, "draining"), "its request is still in flight");
      busy.finished();
      assertEquals(0.0, endpoints(registry, "draining"));
    }
    assertEquals(0.0, endpoints(registry, "healthy"), "a closed upstream shows no endpoints");
  }

  @Test
  void aNewerUpstreamOfTheSameNameKeepsTheGauges() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Upstream old = new Upstream(UpstreamITSupport.config(1, 4, Duration.ofSeconds(1)), registry);
    Upstream reloaded =
        new Upstream(
            new UpstreamConfig(
                "backend",
                List.of(new HostPort("127.0.0.1", 1), new HostPort("127.0.0.1", 2)),
                0,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1)),
            registry);
    old.close();
    assertEquals(2.0, endpoints(registry, "healthy"));
    reloaded.close();
  }

  @Test
  void failsWithNoEndpointsWhenTheSetIsEmpty() {
    try (Upstream upstream =
        new Upstream(
            UpstreamITSupport.config(1, 4, Duration.ofSeconds(1)), new SimpleMeterRegistry())) {
      upstream.update(List.of());
      EmbeddedChannel client = new EmbeddedChannel();
      Throwable cause = upstream.acquire(client, false, null).cause();
      assertInstanceOf(NoEndpointsException.class, cause);
      assertEquals("upstream backend: no endpoints available", cause.getMessage());
    }
  }

  @Test
  void resolvesANameToItsAddressesAndKeepsThemWhenItStopsResolving() {
    EndpointResolver resolver =
        new EndpointResolver(
            "backend",
            List.of(
                new HostPort("localhost", 80),
                new HostPort("127.0.0.1", 80),
                new HostPort("::1", 81)));
    assertTrue(resolver.hasNames());
    List<InetSocketAddress> addresses = resolver.resolve();
    assertTrue(addresses.contains(new InetSocketAddress("127.0.0.1", 80)), addresses.toString());
    assertEquals(
        addresses.size(), new java.util.HashSet<>(addresses).size(), "no duplicates: " + addresses);
    assertFalse(new EndpointResolver("b", List.of(new HostPort("10.0.0.1", 80))).hasNames());
    assertEquals(
        List.of(),
        new EndpointResolver("b", List.of(new HostPort("no-such-host.invalid", 80))).resolve());
  }

  @Test
  void connectsWithTheTransportOfTheClientSocket() {
    Epoll.ensureAvailability();
    assertEquals(NioSocketChannel.class, UpstreamBootstrap.socketClassOf(new NioSocketChannel()));
    assertEquals(
        EpollSocketChannel.class, UpstreamBootstrap.socketClassOf(new EpollSocketChannel()));
    IoUring.ensureAvailability();
    IoUringSocketChannel uring = new IoUringSocketChannel();
    try {
      assertEquals(IoUringSocketChannel.class, UpstreamBootstrap.socketClassOf(uring));
    } finally {
      uring.unsafe().closeForcibly();
    }
  }
}
