package dev.tpp.proxy.http2;

/**
 * The client stream ids of one HTTP/2 connection, as far as {@link Http2StreamStateGuard} needs
 * them: the highest opened, the last {@value #KEPT} ranges of ids the client skipped (RFC 9113
 * §5.1.1: those may never be used), and the last {@value #KEPT} streams we reset (frames on those
 * are to be ignored). Bounded: a client that skips or gets reset more often than that only sees an
 * older id judged as closed rather than skipped. Event loop only.
 */
final class StreamIdHistory {
  static final int KEPT = 32;

  private int highest;
  private final int[] skippedFrom =
      new int[KEPT]; // exclusive bounds: ids between from and to were skipped
  private final int[] skippedTo = new int[KEPT];
  private int skips;
  private final int[] resets = new int[KEPT];
  private int resetCount;

  /**
   * True when {@code id} is above every id opened so far: it is recorded, with the ids it skipped.
   */
  boolean openIfNew(int id) {
    if (id <= highest) {
      return false;
    }
    if (id > highest + 2) {
      skippedFrom[skips % KEPT] = highest;
      skippedTo[skips % KEPT] = id;
      if (++skips == 2 * KEPT) {
        skips = KEPT; // same slots, no overflow
      }
    }
    highest = id;
    return true;
  }

  /** True when {@code id} lies in a range of ids the client jumped over (as far as remembered). */
  boolean skipped(int id) {
    for (int i = 0; i < Math.min(skips, KEPT); i++) {
      if (id > skippedFrom[i] && id < skippedTo[i]) {
        return true;
      }
    }
    return false;
  }

  void resetByUs(int id) {
    resets[resetCount++ % KEPT] = id;
    if (resetCount == 2 * KEPT) {
      resetCount = KEPT; // same slots, no overflow
    }
  }

  boolean wasResetByUs(int id) {
    for (int i = 0; i < Math.min(resetCount, KEPT); i++) {
      if (resets[i] == id) {
        return true;
      }
    }
    return false;
  }
}
