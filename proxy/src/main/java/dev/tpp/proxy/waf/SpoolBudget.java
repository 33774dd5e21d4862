package dev.tpp.proxy.waf;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.atomic.LongAdder;

/**
 * How much a worker has spooled to disk for WAF inspection: the files open and the bytes written by
 * its requests in progress, bounded by {@code http.spoolFilesPerWorker} and {@code
 * http.spoolBytesPerWorker} (beyond them the request gets 503), so slow or parallel uploads cannot
 * fill the disk. One per event-loop thread, used on that loop only; a request's share is returned
 * when it ends. The process-wide sums ({@link #FILES_IN_USE}, {@link #BYTES_IN_USE}) feed the
 * {@code tpp_waf_spool_*} gauges.
 */
final class SpoolBudget {
  static final LongAdder FILES_IN_USE = new LongAdder();
  static final LongAdder BYTES_IN_USE = new LongAdder();

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
    FILES_IN_USE.add(newFiles);
    BYTES_IN_USE.add(moreBytes);
    return true;
  }

  void give(int returnedFiles, long returnedBytes) {
    files -= returnedFiles;
    bytes -= returnedBytes;
    FILES_IN_USE.add(-returnedFiles);
    BYTES_IN_USE.add(-returnedBytes);
  }

  int files() {
    return files;
  }

  long bytes() {
    return bytes;
  }
}
