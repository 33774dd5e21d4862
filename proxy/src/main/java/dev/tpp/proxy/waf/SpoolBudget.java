package dev.tpp.proxy.waf;

import io.netty.util.concurrent.FastThreadLocal;

/**
 * How much a worker has spooled to disk for WAF inspection: the files open and the bytes written by
 * its requests in progress, bounded by {@code http.spoolFilesPerWorker} and {@code
 * http.spoolBytesPerWorker} (beyond them the request gets 503), so slow or parallel uploads cannot
 * fill the disk. One per event-loop thread, used on that loop only; a request's share is returned
 * when it ends.
 */
final class SpoolBudget {
  private static final FastThreadLocal<SpoolBudget> PER_LOOP =
      new FastThreadLocal<>() {
        @Override
        protected SpoolBudget initialValue() {
          return new SpoolBudget();
        }
      };

  private int files;
  private long bytes;

  /** The budget of the calling event loop. */
  static SpoolBudget ofThisLoop() {
    return PER_LOOP.get();
  }

  /**
   * Takes {@code newFiles} files and {@code moreBytes} bytes if both stay within the limits; false
   * otherwise.
   */
  boolean tryTake(int newFiles, long moreBytes, int maxFiles, long maxBytes) {
    if (files + newFiles > maxFiles || bytes + moreBytes > maxBytes) {
      return false;
    }
    files += newFiles;
    bytes += moreBytes;
    return true;
  }

  void give(int returnedFiles, long returnedBytes) {
    files -= returnedFiles;
    bytes -= returnedBytes;
  }

  int files() {
    return files;
  }

  long bytes() {
    return bytes;
  }
}
