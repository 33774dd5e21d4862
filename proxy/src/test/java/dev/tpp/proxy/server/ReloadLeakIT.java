package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigLoader;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import java.io.File;
import java.nio.file.Path;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A hundred reloads that each start or swap something (workers, a pool, the WAF, routes) leave no
 * thread and no file descriptor behind: once the retirements finished, the counts are back where
 * they were.
 */
class ReloadLeakIT {
  private static final String WORKER_THREADS = "tpp-worker-#-#";

  static String config(int i) {
    return TestProxy.withEphemeralPorts(
        """
        workers: %d
        accept: {reusePort: %s}
        pools:
          - {name: waf, threads: %d, maxQueue: %d, overflow: reject}
          - {name: %s, threads: 1, maxQueue: 4, overflow: reject}
        waf: {enabled: %s, pool: waf, rules: "marker-%d"}
        routes: [{path: /, return: {status: 200, body: "v%d"}}]
        """
            .formatted(
                1 + i % 3,
                i % 4 != 3,
                1 + i % 2,
                8 + i % 5,
                i % 2 == 0 ? "even" : "odd",
                i % 3 != 0,
                i,
                i));
  }

  @Test
  void hundredReloadsLeakNoThreadsOrFileDescriptors() throws Exception {
    try (TestProxy proxy = TestProxy.start(config(0), Path.of("."), new MarkerWaf())) {
      // Warm up with every kind of change, ending with the same transition (100 -> 0) as after the
      // loop, so pool
      // threads that a pool starts lazily are counted alike.
      for (int i : new int[] {1, 2, 3, 4, 5, 6, 99, 100, 0}) {
        reloadAndServe(proxy, i);
      }
      Quiet before = quiet(Integer.MAX_VALUE);

      for (int i = 1; i <= 100; i++) {
        reloadAndServe(proxy, i);
      }
      reloadAndServe(proxy, 0); // the same config as when counted
      Quiet after = quiet(before.names.getOrDefault(WORKER_THREADS, 0L));
      System.out.printf(
          "ReloadLeakIT summary: reloads=101 threads before=%d after=%d fds before=%d after=%d%n",
          before.threads, after.threads, before.fds, after.fds);
      // Threads of earlier tests in this JVM may still be ending while we count: none may have been
      // added.
      after.names.forEach(
          (name, n) ->
              assertTrue(
                  n <= before.names.getOrDefault(name, 0L),
                  "threads " + name + ": " + before.names + " -> " + after.names));
      assertTrue(after.fds <= before.fds, "file descriptors: " + before.fds + " -> " + after.fds);
    }
  }

  private static void reloadAndServe(TestProxy proxy, int i) throws Exception {
    proxy.server().reload(ConfigLoader.parse(config(i), Path.of(".")));
    try (RawClient c = new RawClient(proxy.port())) {
      String out =
          c.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n").readUntilClose();
      assertTrue(out.startsWith("HTTP/1.1 200") && out.endsWith("v" + i), out);
    }
  }

  record Quiet(int threads, TreeMap<String, Long> names, int fds) {}

  /**
   * Thread and fd counts once no retirement is running any more (worker loops stopped, pools
   * drained) and at most {@code workers} worker loop threads are left. A generation retires once
   * its last exchange has ended, so the retirement of the last reload's predecessor may not have
   * begun when the loop above returns: no retirement thread yet is not enough. A leak still fails,
   * after the 15 s.
   */
  private static Quiet quiet(long workers) throws Exception {
    Poll.millisUntil(
        15_000,
        () ->
            Thread.getAllStackTraces().keySet().stream()
                    .noneMatch(
                        t ->
                            t.getName().startsWith("tpp-retire-")
                                || t.getName().startsWith("tpp-pool-retire-"))
                && threadNames().getOrDefault(WORKER_THREADS, 0L) <= workers);
    TreeMap<String, Long> names = threadNames();
    String[] fds = new File("/proc/self/fd").list();
    return new Quiet(
        names.values().stream().mapToInt(Long::intValue).sum(),
        names,
        fds == null ? 0 : fds.length);
  }

  private static TreeMap<String, Long> threadNames() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .collect(
            Collectors.groupingBy(
                t -> t.getName().replaceAll("\\d+", "#"), TreeMap::new, Collectors.counting()));
  }
}
