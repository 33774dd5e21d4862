package dev.tpp.proxy.route.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A consistent-hash ring (Karger et al., as ketama and Envoy's ring_hash): each endpoint owns
 * {@value #POINTS} points hashed from its address, a key goes to the owner of the first point at or
 * after its own hash. When an endpoint joins or leaves, only the keys on its points move.
 * Immutable; built off the loops, read by any loop.
 */
final class HashRing {
  static final int POINTS = 100;
  private final long[] hashes;
  private final int[] owners;

  /** A ring over {@code endpoints}, whose indexes {@link #owner} returns. */
  HashRing(List<String> endpoints) {
    long[][] points = new long[endpoints.size() * POINTS][];
    for (int e = 0; e < endpoints.size(); e++) {
      for (int p = 0; p < POINTS; p++) {
        points[e * POINTS + p] = new long[] {hash(endpoints.get(e) + "-" + p), e};
      }
    }
    Arrays.sort(points, (a, b) -> Long.compareUnsigned(a[0], b[0]));
    hashes = new long[points.length];
    owners = new int[points.length];
    for (int i = 0; i < points.length; i++) {
      hashes[i] = points[i][0];
      owners[i] = (int) points[i][1];
    }
  }

  int size() {
    return hashes.length;
  }

  /** The index of the first point at or after {@code keyHash}, wrapping around. */
  int firstPoint(long keyHash) {
    int lo = 0;
    int hi = hashes.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(hashes[mid], keyHash) < 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == hashes.length ? 0 : lo;
  }

  /**
   * The endpoint index owning point {@code point} (taken modulo the ring size, to walk on past a
   * skipped one).
   */
  int owner(int point) {
    return owners[Math.floorMod(point, owners.length)];
  }

  /**
   * 64-bit FNV-1a with a murmur3 finalizer: stable across JVMs and releases, well spread for short
   * keys.
   */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h = (h ^ (b & 0xff)) * 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
