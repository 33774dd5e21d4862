package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tpp.config.UpstreamConfig.LoadBalancing;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BalancerTest {

  static List<UpstreamEndpoint> endpoints(int n) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                new UpstreamEndpoint(
                    new InetSocketAddress("10.0.0." + (i + 1), 8080),
                    4,
                    Duration.ofSeconds(1),
                    e -> {}))
        .toList();
  }

  private static Map<UpstreamEndpoint, Integer> picks(Balancer b, EndpointSet set, int n) {
    Map<UpstreamEndpoint, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(b.pick(set, null, List.of()), 1, Integer::sum);
    }
    return counts;
  }

  @Test
  void roundRobinTakesEachInTurn() {
    List<UpstreamEndpoint> all = endpoints(3);
    Balancer b = new Balancer(LoadBalancing.ROUND_ROBIN);
    EndpointSet set = EndpointSet.of(all, false);
    List<UpstreamEndpoint> seen = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      seen.add(b.pick(set, null, List.of()));
    }
    assertEquals(
        List.of(all.get(0), all.get(1), all.get(2), all.get(0), all.get(1), all.get(2)), seen);
  }

  @Test
  void leastRequestSpreadsExactlyWhenLoadsAreEqual() {
    List<UpstreamEndpoint> all = endpoints(3);
    Map<UpstreamEndpoint, Integer> counts =
        picks(new Balancer(LoadBalancing.LEAST_REQUEST), EndpointSet.of(all, false), 300);
    assertEquals(Map.of(all.get(0), 100, all.get(1), 100, all.get(2), 100), counts);
  }

  @Test
  void leastRequestAvoidsTheBusiestEndpoint() {
    List<UpstreamEndpoint> all = endpoints(3);
    for (int i = 0; i < 5; i++) {
      all.get(0).started();
    }
    Map<UpstreamEndpoint, Integer> counts =
        picks(new Balancer(LoadBalancing.LEAST_REQUEST), EndpointSet.of(all, false), 300);
    assertNull(counts.get(all.get(0)), "its turn always lost against an idle endpoint");
    assertEquals(300, counts.get(all.get(1)) + counts.get(all.get(2)));
  }

  @Test
  void skipsEjectedAndTriedEndpoints() {
    List<UpstreamEndpoint> all = endpoints(3);
    all.get(1).eject();
    Balancer b = new Balancer(LoadBalancing.ROUND_ROBIN);
    EndpointSet set = EndpointSet.of(all, false);
    for (int i = 0; i < 6; i++) {
      assertEquals(all.get(2), b.pick(set, null, List.of(all.get(0))));
    }
  }

  @Test
  void usesEjectedEndpointsWhenNoOtherIsLeft() {
    List<UpstreamEndpoint> all = endpoints(2);
    all.forEach(UpstreamEndpoint::eject);
    Balancer b = new Balancer(LoadBalancing.LEAST_REQUEST);
    EndpointSet set = EndpointSet.of(all, false);
    assertEquals(all.get(1), b.pick(set, null, List.of(all.get(0))));
    assertNull(b.pick(set, null, all), "every endpoint tried");
    assertNull(b.pick(EndpointSet.EMPTY, null, List.of()));
  }

  @Test
  void hashSendsTheSameKeyToTheSameEndpoint() {
    List<UpstreamEndpoint> all = endpoints(3);
    Balancer b = new Balancer(LoadBalancing.HASH);
    EndpointSet set = EndpointSet.of(all, true);
    Map<UpstreamEndpoint, Integer> owners = new HashMap<>();
    for (int k = 0; k < 300; k++) {
      UpstreamEndpoint first = b.pick(set, "user-" + k, List.of());
      assertEquals(first, b.pick(set, "user-" + k, List.of()));
      owners.merge(first, 1, Integer::sum);
    }
    assertEquals(3, owners.size(), "keys spread over every endpoint: " + owners);
    owners.values().forEach(n -> assertNotEquals(0, n));
  }

  @Test
  void hashMovesOnlyTheKeysOfARemovedOrEjectedEndpoint() {
    List<UpstreamEndpoint> all = endpoints(4);
    Balancer b = new Balancer(LoadBalancing.HASH);
    EndpointSet before = EndpointSet.of(all, true);
    EndpointSet after = EndpointSet.of(all.subList(0, 3), true);
    for (int k = 0; k < 500; k++) {
      UpstreamEndpoint owner = b.pick(before, "k" + k, List.of());
      UpstreamEndpoint now = b.pick(after, "k" + k, List.of());
      if (owner != all.get(3)) {
        assertEquals(owner, now, "key k" + k + " stays where it was");
      }
      all.get(0).eject();
      UpstreamEndpoint whileEjected = b.pick(before, "k" + k, List.of());
      all.get(0).unEject();
      if (owner != all.get(0)) {
        assertEquals(
            owner, whileEjected, "key k" + k + " is not moved by another endpoint's ejection");
      } else {
        assertNotEquals(all.get(0), whileEjected);
      }
    }
  }

  @Test
  void hashWithoutAKeyGoesInTurn() {
    List<UpstreamEndpoint> all = endpoints(2);
    Balancer b = new Balancer(LoadBalancing.HASH);
    EndpointSet set = EndpointSet.of(all, true);
    assertEquals(
        List.of(all.get(0), all.get(1)),
        List.of(b.pick(set, null, List.of()), b.pick(set, null, List.of())));
  }
}
