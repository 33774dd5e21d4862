package dev.tpp.proxy.route.upstream;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The endpoints an {@link Upstream} balances over at one moment, and their hash ring. Immutable: a
 * DNS or endpoints file change publishes a new set (a volatile write), requests read whichever set
 * is current. Ejection does not make a new set; pickers skip ejected endpoints as they go.
 */
record EndpointSet(List<UpstreamEndpoint> all, @Nullable HashRing ring) {
  static final EndpointSet EMPTY = new EndpointSet(List.of(), new HashRing(List.of()));

  static EndpointSet of(List<UpstreamEndpoint> endpoints, boolean withRing) {
    List<UpstreamEndpoint> all = List.copyOf(endpoints);
    return new EndpointSet(
        all, withRing ? new HashRing(all.stream().map(UpstreamEndpoint::toString).toList()) : null);
  }

  int size() {
    return all.size();
  }

  /**
   * Endpoints not ejected right now; counted on each call (a metrics scrape, an ejection decision).
   */
  int healthy() {
    int n = 0;
    for (UpstreamEndpoint e : all) {
      n += e.ejected() ? 0 : 1;
    }
    return n;
  }
}
