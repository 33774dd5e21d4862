package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tpp.config.UpstreamConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpstreamTest {

  @Test
  void registersEveryOutcomeAtZero() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new Upstream(UpstreamITSupport.config(1, 4, Duration.ofSeconds(1)), registry);
    for (String outcome : List.of("ok", "connect_error", "timeout", "reset")) {
      assertEquals(0.0, registry.get("tpp.upstream.requests").tag("upstream", "backend").tag("outcome", outcome)
          .counter().count());
    }
  }

  @Test
  void rejectsAnUpstreamWithoutEndpoints() {
    UpstreamConfig empty = new UpstreamConfig("none", List.of(), 0, Duration.ofSeconds(1), Duration.ofSeconds(1));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Upstream(empty, new SimpleMeterRegistry()));
    assertEquals("endpoints: [] (expected: at least one host:port)", e.getMessage());
  }

  @Test
  void connectsWithTheTransportOfTheClientSocket() {
    Epoll.ensureAvailability();
    assertEquals(NioSocketChannel.class, UpstreamBootstrap.socketClassOf(new NioSocketChannel()));
    assertEquals(EpollSocketChannel.class, UpstreamBootstrap.socketClassOf(new EpollSocketChannel()));
  }
}
