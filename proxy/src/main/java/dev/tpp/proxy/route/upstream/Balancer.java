package dev.tpp.proxy.route.upstream;

import dev.tpp.config.UpstreamConfig.LoadBalancing;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Picks the endpoint for the next request of an upstream: {@code roundRobin} in turn; {@code
 * leastRequest} the less busy of the next one in turn and a random other (power of two choices over
 * requests in flight: equal loads give round-robin's exact spread, unequal ones shift new requests
 * to the idler endpoint); {@code hash} the endpoint that owns the key on the {@link HashRing},
 * round-robin for requests without a key. Ejected endpoints and those this request already tried
 * are skipped; when nothing else is left, ejected ones are used rather than none (Envoy's panic
 * mode). Called on any event loop; lock-free.
 */
final class Balancer {
  private final LoadBalancing mode;
  private final AtomicInteger next = new AtomicInteger();

  Balancer(LoadBalancing mode) {
    this.mode = mode;
  }

  /**
   * The endpoint for a request with {@code hashKey} (null: none), not one of {@code tried}; null
   * when none is left.
   */
  @Nullable UpstreamEndpoint pick(
      EndpointSet set, @Nullable String hashKey, List<UpstreamEndpoint> tried) {
    if (set.size() == 0) {
      return null;
    }
    UpstreamEndpoint e = pick(set, hashKey, tried, false);
    return e != null ? e : pick(set, hashKey, tried, true);
  }

  private @Nullable UpstreamEndpoint pick(
      EndpointSet set, @Nullable String hashKey, List<UpstreamEndpoint> tried, boolean ejectedToo) {
    if (mode == LoadBalancing.HASH && hashKey != null) {
      return byHash(set, HashRing.hash(hashKey), tried, ejectedToo);
    }
    int first = inTurn(set, tried, ejectedToo);
    if (first < 0) {
      return null;
    }
    UpstreamEndpoint a = set.all().get(first);
    if (mode != LoadBalancing.LEAST_REQUEST || set.size() < 2) {
      return a;
    }
    int other = (first + 1 + ThreadLocalRandom.current().nextInt(set.size() - 1)) % set.size();
    UpstreamEndpoint b = set.all().get(other);
    return usable(b, tried, ejectedToo) && b.inFlight() < a.inFlight() ? b : a;
  }

  /** The index of the next usable endpoint in turn, or -1. */
  private int inTurn(EndpointSet set, List<UpstreamEndpoint> tried, boolean ejectedToo) {
    int n = set.size();
    int start = Math.floorMod(next.getAndIncrement(), n);
    for (int i = 0; i < n; i++) {
      int index = (start + i) % n;
      if (usable(set.all().get(index), tried, ejectedToo)) {
        return index;
      }
    }
    return -1;
  }

  private static @Nullable UpstreamEndpoint byHash(
      EndpointSet set, long keyHash, List<UpstreamEndpoint> tried, boolean ejectedToo) {
    HashRing ring =
        Objects.requireNonNull(set.ring(), "ring: every set of a hashing upstream has one");
    int point = ring.firstPoint(keyHash);
    for (int i = 0; i < ring.size(); i++) {
      UpstreamEndpoint e = set.all().get(ring.owner(point + i));
      if (usable(e, tried, ejectedToo)) {
        return e;
      }
    }
    return null;
  }

  private static boolean usable(
      UpstreamEndpoint e, List<UpstreamEndpoint> tried, boolean ejectedToo) {
    return (ejectedToo || !e.ejected()) && !tried.contains(e);
  }
}
