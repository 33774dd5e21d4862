package dev.tpp.proxy.testing;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.time.Instant;

/**
 * Every thread of the test JVM (the proxy under test runs in it) with its stack and the lock it
 * waits for and who holds that lock: what a test prints when it gives up waiting, so that a stall
 * seen once on a busy machine can be told apart from slowness afterwards. Any thread.
 */
public final class ThreadDump {
  private ThreadDump() {}

  /**
   * Prints the dump to stdout (failsafe keeps it beside the test's report), headed by {@code why}.
   */
  public static void print(String why) {
    StringBuilder out = new StringBuilder("thread dump at ").append(Instant.now());
    out.append(" (").append(why).append(")\n");
    for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      out.append('"').append(t.getThreadName()).append("\" ").append(t.getThreadState());
      if (t.getLockName() != null) {
        out.append(" on ").append(t.getLockName());
      }
      if (t.getLockOwnerName() != null) {
        out.append(" held by \"").append(t.getLockOwnerName()).append('"');
      }
      out.append('\n');
      for (StackTraceElement frame : t.getStackTrace()) {
        out.append("    at ").append(frame).append('\n');
      }
    }
    System.out.println(out);
  }
}
