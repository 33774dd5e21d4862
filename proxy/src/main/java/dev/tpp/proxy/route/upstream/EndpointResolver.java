package dev.tpp.proxy.route.upstream;

import dev.tpp.config.UpstreamConfig.HostPort;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an upstream's {@code host:port} list into socket addresses: an IP literal is itself; a name
 * becomes every address it resolves to (a headless Service's pods, a round-robin DNS record), so
 * each is balanced as an endpoint of its own. A name that fails to resolve keeps its last good
 * addresses (none before the first success); the failure and the recovery are each logged once.
 * Blocks on DNS: runs only on the thread that builds the upstream or on the {@link
 * UpstreamScheduler} thread or the endpoints watcher's, never on an event loop; one lookup at a
 * time.
 */
final class EndpointResolver {
  private static final Logger log = LoggerFactory.getLogger("tpp.upstream");
  private final String upstream;
  private final List<HostPort> endpoints;
  private final Map<HostPort, List<InetSocketAddress>> lastGood = new HashMap<>();
  private final Set<HostPort> failing = new LinkedHashSet<>();

  EndpointResolver(String upstream, List<HostPort> endpoints) {
    this.upstream = upstream;
    this.endpoints = List.copyOf(endpoints);
  }

  /** True when some endpoint is a name, so resolving again may give other addresses. */
  boolean hasNames() {
    return endpoints.stream().anyMatch(hp -> !isIpLiteral(hp.host()));
  }

  /** The addresses now, without duplicates, names' addresses in a stable order. */
  synchronized List<InetSocketAddress> resolve() {
    Set<InetSocketAddress> all = new LinkedHashSet<>();
    for (HostPort hp : endpoints) {
      if (isIpLiteral(hp.host())) {
        all.add(
            new InetSocketAddress(
                NetUtil.createInetAddressFromIpAddressString(hp.host()), hp.port()));
      } else {
        all.addAll(lookUp(hp));
      }
    }
    return new ArrayList<>(all);
  }

  private List<InetSocketAddress> lookUp(HostPort hp) {
    try {
      List<InetSocketAddress> found = new ArrayList<>();
      for (InetAddress a : InetAddress.getAllByName(hp.host())) {
        found.add(
            new InetSocketAddress(InetAddress.getByAddress(hp.host(), a.getAddress()), hp.port()));
      }
      found.sort(Comparator.comparing(a -> a.getAddress().getHostAddress()));
      lastGood.put(hp, found);
      if (failing.remove(hp)) {
        log.info(
            "event=upstream_resolved upstream={} host={} addresses={}",
            upstream,
            hp.host(),
            found.size());
      }
      return found;
    } catch (UnknownHostException e) {
      List<InetSocketAddress> kept = lastGood.getOrDefault(hp, List.of());
      if (failing.add(hp)) {
        log.warn(
            "event=upstream_resolve_failed upstream={} host={} kept={} error=\"{}\"",
            upstream,
            hp.host(),
            kept.size(),
            String.valueOf(e.getMessage()).replace('"', '\''));
      }
      return kept;
    }
  }

  static boolean isIpLiteral(String host) {
    return NetUtil.isValidIpV4Address(host) || NetUtil.isValidIpV6Address(host);
  }
}
