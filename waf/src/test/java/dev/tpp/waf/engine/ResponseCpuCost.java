package dev.tpp.waf.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures the engine's CPU for the bench's {@code html64k} case (scenario 3): CRS at paranoia
 * level 1 with the bench's response settings ({@code bench/conf/tpp-waf.yaml}), a bare browser GET
 * for the page, then phases 3-5 over the 64 KB HTML page {@link HtmlPage} (the bench's bytes).
 * Thread CPU time ({@link ThreadMXBean}) after warm-up, one thread, so a busy host skews it little.
 * {@code java -cp ... dev.tpp.waf.engine.ResponseCpuCost} with {@code -Dcrs.path} (default CRS
 * 4.28.0), {@code -Dwaf.perf.rounds} (7), {@code -Dwaf.perf.count} (responses per round, 300),
 * {@code -Dwaf.perf.seconds} (run phase 4 that long after the rounds, for a profiler to attach).
 */
public final class ResponseCpuCost {
  /** The bench's response settings (tpp-waf.yaml, modsecurity.conf). */
  static final String BENCH_RULES =
      """
      SecResponseBodyAccess On
      SecResponseBodyMimeTypesClear
      SecResponseBodyMimeType text/html
      SecResponseBodyLimit 524288
      SecResponseBodyLimitAction ProcessPartial
      """;

  private ResponseCpuCost() {}

  public static void main(String[] args) throws Exception {
    Path crs = Path.of(System.getProperty("crs.path", "/work/shared/crs-4.28.0"));
    WafEngine waf = engine(crs);
    WafRequest request = request();
    WafResponse response = response(HtmlPage.of(65536));
    check(waf, request, response);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int count = Integer.getInteger("waf.perf.count", 300);
    for (int i = 0; i < 5; i++) {
      round(waf, request, response, count, mx); // JIT warm-up
    }
    int rounds = Integer.getInteger("waf.perf.rounds", 7);
    double[] req = new double[rounds];
    double[] resp = new double[rounds];
    for (int r = 0; r < rounds; r++) {
      double[] v = round(waf, request, response, count, mx);
      req[r] = v[0];
      resp[r] = v[1];
    }
    System.out.printf(
        "html64k, CRS %s PL1, CPU us per request (median [min..max] of %d rounds)%n",
        crs.getFileName(), rounds);
    System.out.println("  request phases 1-2 (bare GET): " + summary(req));
    System.out.println("  response phases 3-5 (64 KB):   " + summary(resp));
    long until = System.nanoTime() + Long.getLong("waf.perf.seconds", 0) * 1_000_000_000L;
    while (System.nanoTime() < until) {
      round(waf, request, response, count, mx);
    }
  }

  static WafEngine engine(Path crs) throws WafCompileException {
    return WafEngine.builder().crs(crs, 1, 5).rules("bench", BENCH_RULES, crs).build();
  }

  static WafRequest request() {
    return Requests.get(
        "/page-64k.html",
        "User-Agent",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0",
        "Accept",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Accept-Language",
        "en-US,en;q=0.9",
        "Accept-Encoding",
        "gzip, deflate, br");
  }

  static WafResponse response(byte[] body) {
    return new WafResponse(
        200,
        "HTTP/1.1",
        List.of(
            Map.entry("Content-Type", "text/html"),
            Map.entry("Content-Length", Integer.toString(body.length))),
        body,
        body.length);
  }

  private static void check(WafEngine waf, WafRequest request, WafResponse response) {
    WafTransaction tx = waf.begin(request);
    WafVerdict v = tx.inspectResponse(response);
    if (tx.requestVerdict().disruptive() || v.disruptive() || !tx.responseBodyAccess()) {
      throw new IllegalStateException("the benign page must pass, inspected: " + v.matches());
    }
  }

  /** CPU microseconds per request: {request phases, response phases}. */
  private static double[] round(
      WafEngine waf, WafRequest request, WafResponse response, int count, ThreadMXBean mx) {
    long req = 0;
    long resp = 0;
    for (int i = 0; i < count; i++) {
      long t0 = mx.getCurrentThreadCpuTime();
      WafTransaction tx = waf.begin(request);
      long t1 = mx.getCurrentThreadCpuTime();
      tx.inspectResponse(response);
      long t2 = mx.getCurrentThreadCpuTime();
      req += t1 - t0;
      resp += t2 - t1;
    }
    return new double[] {req / 1e3 / count, resp / 1e3 / count};
  }

  private static String summary(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    return String.format("%.0f [%.0f..%.0f]", v[v.length / 2], v[0], v[v.length - 1]);
  }
}
