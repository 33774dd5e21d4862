package dev.tpp.proxy.route.upstream;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The difference between an upstream's endpoints and a new list of addresses: which endpoints stay
 * (the same objects, so their pools and health carry over), which are new, which leave. Pure apart
 * from {@link #log}.
 */
record EndpointChange(
    List<UpstreamEndpoint> next, List<UpstreamEndpoint> added, List<UpstreamEndpoint> removed) {
  private static final Logger log = LoggerFactory.getLogger("tpp.upstream");

  static EndpointChange between(
      List<UpstreamEndpoint> current,
      List<InetSocketAddress> addresses,
      Function<InetSocketAddress, UpstreamEndpoint> create) {
    Map<InetSocketAddress, UpstreamEndpoint> known = new HashMap<>();
    current.forEach(e -> known.put(e.address(), e));
    List<UpstreamEndpoint> next = new ArrayList<>();
    List<UpstreamEndpoint> added = new ArrayList<>();
    for (InetSocketAddress a : new LinkedHashSet<>(addresses)) {
      UpstreamEndpoint e = known.remove(a);
      if (e == null) {
        e = create.apply(a);
        added.add(e);
      }
      next.add(e);
    }
    return new EndpointChange(next, added, new ArrayList<>(known.values()));
  }

  boolean changed() {
    return !added.isEmpty() || !removed.isEmpty();
  }

  void log(String upstream) {
    log.info(
        "event=upstream_endpoints_changed upstream={} endpoints={} added={} removed={}",
        upstream,
        next.size(),
        added,
        removed);
  }
}
