package dev.tpp.proxy.route.upstream;

import dev.tpp.config.UpstreamConfig;
import dev.tpp.proxy.server.GenerationBuilder;
import dev.tpp.proxy.testing.TestProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real proxy ({@link TestProxy}: its pipeline and dispatcher, under BlockHound in integration
 * tests) with one route, {@code /}, whose handler is a real {@link UpstreamHandler} on an {@link
 * Upstream} the test builds and keeps: for what a config file does not let a test choose or see —
 * the upstream's full config as a record, its meters in a registry of the test's own, the idle
 * connections of each loop. The test also chooses the transport (epoll or NIO) and the number of
 * worker loops; connections go to the least-loaded loop (the shared acceptor), so two clients land
 * on two loops.
 */
final class ProxyHarness implements AutoCloseable {
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final Upstream upstream;
  private final TestProxy proxy;

  ProxyHarness(UpstreamConfig config) throws Exception {
    this(config, true, 1);
  }

  /**
   * {@code epoll} false: the NIO transport (upstream sockets follow the client's); {@code loops}:
   * worker event loops.
   */
  ProxyHarness(UpstreamConfig config, boolean epoll, int loops) throws Exception {
    this(config, epoll, loops, new EndpointDirectory());
  }

  /**
   * {@code endpoints}: where an endpoints file, if the test has one, delivers sets to the upstream.
   */
  ProxyHarness(UpstreamConfig config, boolean epoll, int loops, EndpointDirectory endpoints)
      throws Exception {
    upstream = new Upstream(config, registry, endpoints);
    UpstreamHandler handler = new UpstreamHandler(upstream);
    String yaml =
        """
        workers: %d
        accept: {reusePort: false}
        upstreams: [{name: %s, endpoints: ["%s"]}]
        routes: [{path: /, waf: false, upstream: %s}]
        """
            .formatted(loops, config.name(), config.endpoints().get(0), config.name());
    proxy = start(yaml, epoll, route -> handler);
  }

  private static TestProxy start(
      String yaml, boolean epoll, GenerationBuilder.HandlerOverride handlers) throws Exception {
    if (epoll) {
      return TestProxy.start(yaml, Path.of("."), null, handlers);
    }
    System.setProperty("tpp.nio", "true"); // read once, when the server picks its transport
    try {
      return TestProxy.start(yaml, Path.of("."), null, handlers);
    } finally {
      System.clearProperty("tpp.nio");
    }
  }

  URI uri(String path) {
    return proxy.uri(path);
  }

  int port() {
    return proxy.port();
  }

  /** The first worker loop (the only one unless the test asked for more). */
  EventLoop loop() {
    return proxy.server().workers().loops().get(0);
  }

  /** The idle upstream connections of each worker loop, read on that loop. */
  List<Integer> idlePerLoop() throws Exception {
    List<Integer> sizes = new ArrayList<>();
    for (EventLoop loop : proxy.server().workers().loops()) {
      sizes.add(loop.submit(() -> upstream.idleChannels(loop).size()).get(5, TimeUnit.SECONDS));
    }
    return sizes;
  }

  double count(String outcome) {
    return registry.get("tpp.upstream.requests").tag("outcome", outcome).counter().count();
  }

  /** Stops the proxy; fails the test when one of its loops made a blocking call meanwhile. */
  @Override
  public void close() {
    upstream.close();
    try {
      proxy.close();
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the proxy: " + e, e);
    }
  }
}
