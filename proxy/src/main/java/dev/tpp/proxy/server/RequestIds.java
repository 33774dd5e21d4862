package dev.tpp.proxy.server;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Unique request ids ({@code <process prefix>-<sequence>}), printed in log lines and handed to the WAF. */
final class RequestIds {
  private static final String PREFIX = Long.toHexString(new SecureRandom().nextLong() >>> 16);
  private static final AtomicLong NEXT = new AtomicLong();

  private RequestIds() {}

  static String next() {
    return PREFIX + "-" + Long.toHexString(NEXT.incrementAndGet());
  }
}
