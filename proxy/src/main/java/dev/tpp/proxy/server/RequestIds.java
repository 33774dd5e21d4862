package dev.tpp.proxy.server;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique request ids ({@code <process prefix>-<sequence>}), printed in log lines and handed to the
 * WAF. The prefix comes from ThreadLocalRandom, not SecureRandom, whose first use reads
 * /dev/urandom on the event loop.
 */
final class RequestIds {
  private static final String PREFIX =
      Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  private static final AtomicLong NEXT = new AtomicLong();

  private RequestIds() {}

  static String next() {
    return PREFIX + "-" + Long.toHexString(NEXT.incrementAndGet());
  }
}
