package dev.tpp.waf.engine.operator;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code @ipMatch}: IPv4 and IPv6 addresses and CIDR blocks. Parses literals itself, so no input
 * can trigger a DNS lookup on a pool thread. Immutable after construction.
 */
final class IpMatcher {
  private record Block(byte[] address, int prefix) {}

  private final List<Block> blocks = new ArrayList<>();

  IpMatcher(List<String> entries) {
    for (String raw : entries) {
      String e = raw.trim();
      if (e.isEmpty() || e.startsWith("#")) {
        continue;
      }
      int slash = e.indexOf('/');
      byte[] addr = parse(slash < 0 ? e : e.substring(0, slash));
      if (addr == null) {
        throw new IllegalArgumentException("not an IP address or CIDR block: " + e);
      }
      int prefix = slash < 0 ? addr.length * 8 : Integer.parseInt(e.substring(slash + 1));
      if (prefix < 0 || prefix > addr.length * 8) {
        throw new IllegalArgumentException("bad prefix length: " + e);
      }
      blocks.add(new Block(addr, prefix));
    }
  }

  boolean matches(String input) {
    byte[] addr = parse(input.trim());
    if (addr == null) {
      return false;
    }
    for (Block b : blocks) {
      if (b.address.length == addr.length && samePrefix(b.address, addr, b.prefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean samePrefix(byte[] a, byte[] b, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != b[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xFF << (8 - rest)) & 0xFF;
    return (a[full] & mask) == (b[full] & mask);
  }

  static byte @Nullable [] parse(String s) {
    return s.indexOf(':') >= 0 ? parseV6(s) : parseV4(s);
  }

  private static byte @Nullable [] parseV4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (parts[i].isEmpty()
          || parts[i].length() > 3
          || !parts[i].chars().allMatch(Character::isDigit)) {
        return null;
      }
      int v = Integer.parseInt(parts[i]);
      if (v > 255) {
        return null;
      }
      out[i] = (byte) v;
    }
    return out;
  }

  private static byte @Nullable [] parseV6(String s) {
    int dbl = s.indexOf("::");
    String head = dbl < 0 ? s : s.substring(0, dbl);
    String tail = dbl < 0 ? "" : s.substring(dbl + 2);
    List<Integer> h = groups(head);
    List<Integer> t = groups(tail);
    if (h == null || t == null) {
      return null;
    }
    int missing = 8 - h.size() - t.size();
    if (missing < 0 || (dbl < 0 && missing != 0)) {
      return null;
    }
    byte[] out = new byte[16];
    int idx = 0;
    for (int g : h) {
      idx = put(out, idx, g);
    }
    idx += missing * 2;
    for (int g : t) {
      idx = put(out, idx, g);
    }
    return out;
  }

  private static int put(byte[] out, int idx, int g) {
    out[idx] = (byte) (g >> 8);
    out[idx + 1] = (byte) g;
    return idx + 2;
  }

  private static @Nullable List<Integer> groups(String s) {
    List<Integer> out = new ArrayList<>();
    if (s.isEmpty()) {
      return out;
    }
    for (String g : s.split(":", -1)) {
      if (g.isEmpty() || g.length() > 4) {
        return null;
      }
      try {
        out.add(Integer.parseInt(g, 16));
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return out;
  }
}
