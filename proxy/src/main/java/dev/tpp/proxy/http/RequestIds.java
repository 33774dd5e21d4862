package dev.tpp.proxy.http;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unique request ids ({@code <process prefix>-<sequence>}), printed in log lines and handed to the
 * WAF. A request carries only its sequence number; the text is made when something reads it ({@link
 * HttpExchange#requestId}), which most proxied requests never do. The prefix comes from
 * ThreadLocalRandom, not SecureRandom, whose first use reads /dev/urandom on the event loop. Any
 * thread.
 */
public final class RequestIds {
  private static final String PREFIX =
      Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  private static final AtomicLong NEXT = new AtomicLong();

  private RequestIds() {}

  /** The next sequence number, for {@link #format}. */
  public static long next() {
    return NEXT.incrementAndGet();
  }

  /** The id of the request numbered {@code sequence}. */
  public static String format(long sequence) {
    return PREFIX + "-" + Long.toHexString(sequence);
  }
}
