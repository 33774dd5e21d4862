package dev.tpp.e2e.agent;

import java.io.IOException;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Pod IPs on this machine, which has no pod network. The API server refuses loopback addresses
 * (127.0.0.0/8) in EndpointSlices, so pods whose Services must have endpoints need other addresses:
 * each pod gets {@code PREFIX.N} (N 10-254; prefix {@code 198.51.100} by default, a documentation
 * range no host routes to, or {@code -De2e.podNetwork}) added as a /32 to the loopback
 * <em>device</em> ({@code ip addr add ... dev lo}, as kube-proxy's IPVS mode adds Service IPs to a
 * dummy device): local addresses, so traffic to them never leaves the machine. That needs
 * CAP_NET_ADMIN (root); without it the agent falls back to 127.0.0.N and says so once, and Services
 * then get no endpoints. Addresses are removed when their pod stops. Called under the agent's lock.
 */
final class PodNetwork {
  private static final Logger LOG = Logger.getLogger("tpp.e2e.agent");

  private final String prefix;
  private final boolean onLoopbackDevice;
  private final BitSet used = new BitSet(256);

  private PodNetwork(String prefix, boolean onLoopbackDevice) {
    this.prefix = prefix;
    this.onLoopbackDevice = onLoopbackDevice;
  }

  /**
   * Probes whether addresses can be added to {@code lo} (with the last one of the range); else
   * 127.0.0.N.
   */
  static PodNetwork detect() {
    String prefix = System.getProperty("e2e.podNetwork", "198.51.100");
    if (ip("replace", prefix + ".254") && ip("del", prefix + ".254")) {
      LOG.info("pod IPs " + prefix + ".10-253 on device lo");
      return new PodNetwork(prefix, true);
    }
    LOG.warning(
        "cannot add addresses to device lo (needs CAP_NET_ADMIN and iproute2): pod IPs are 127.0.0.N,"
            + " which EndpointSlices refuse, so Services get no endpoints");
    return new PodNetwork("127.0.0", false);
  }

  /** Whether pod IPs are valid EndpointSlice addresses. */
  boolean endpointsWork() {
    return onLoopbackDevice;
  }

  String allocate() {
    int n = used.nextClearBit(10);
    if (n > 253) {
      throw new IllegalStateException("no free pod IP in " + prefix + ".10-253");
    }
    String address = prefix + "." + n;
    if (onLoopbackDevice && !ip("replace", address)) {
      throw new IllegalStateException("ip addr replace " + address + "/32 dev lo failed");
    }
    used.set(n);
    return address;
  }

  void release(String address) {
    if (onLoopbackDevice) {
      ip("del", address);
    }
    used.clear(Integer.parseInt(address.substring(address.lastIndexOf('.') + 1)));
  }

  private static boolean ip(String verb, String address) {
    try {
      Process p =
          new ProcessBuilder(List.of("ip", "addr", verb, address + "/32", "dev", "lo"))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
