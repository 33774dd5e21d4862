package dev.tpp.waf.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Measures the engine's CPU per request with CRS at paranoia level 1: a benign browser GET, a 4 KB
 * and a 64 KiB benign urlencoded form POST, and an attack that must block. Single-threaded, after
 * warm-up, thread CPU time ({@link ThreadMXBean}), so other load on a shared machine skews it far
 * less than wall time. Run through {@link WafCpuCostTest} ({@code -Dwaf.perf=true}) or directly:
 * {@code java -cp ... dev.tpp.waf.engine.WafCpuCost}.
 */
public final class WafCpuCost {
  private static final String BROWSER_UA =
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";

  /** One kind of request, with how many iterations make one measured round. */
  record Kind(String name, WafRequest request, int perRound, boolean mustBlock) {}

  private WafCpuCost() {}

  public static void main(String[] args) throws Exception {
    Path crs = Path.of(System.getProperty("crs.path", "/work/shared/crs-3.3.4"));
    System.out.print(
        report(
            run(
                crs,
                Integer.getInteger("waf.perf.rounds", 7),
                Double.parseDouble(System.getProperty("waf.perf.scale", "1")))));
  }

  /** Kind name to per-round CPU milliseconds per request, one entry per round. */
  static Map<String, double[]> run(Path crs, int rounds, double scale) throws WafCompileException {
    long buildStart = System.nanoTime();
    WafEngine waf = WafEngine.builder().crs(crs, 1, 5).build();
    System.out.printf("engine build: %d ms (wall)%n", (System.nanoTime() - buildStart) / 1_000_000);
    String only = System.getProperty("waf.perf.only", "");
    List<Kind> kinds = kinds(scale).stream().filter(k -> k.name().startsWith(only)).toList();
    for (Kind k : kinds) {
      check(waf, k);
    }
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    for (int i = 0; i < 3; i++) {
      for (Kind k : kinds) {
        measure(waf, k, mx); // JIT warm-up: ~20k GETs
      }
    }
    Map<String, double[]> out = new LinkedHashMap<>();
    for (Kind k : kinds) {
      out.put(k.name(), new double[rounds]);
    }
    for (int r = 0; r < rounds; r++) {
      for (Kind k : kinds) {
        out.get(k.name())[r] = measure(waf, k, mx);
      }
    }
    return out;
  }

  static List<Kind> kinds(double scale) {
    return List.of(
        new Kind("GET", benignGet(), n(6000, scale), false),
        new Kind("POST 4KB form", form(4 * 1024), n(1500, scale), false),
        new Kind("POST 64KiB form", form(64 * 1024), n(60, scale), false),
        new Kind(
            "attack GET",
            Requests.get("/item?id=1%27%20OR%20%271%27%3D%271", browserHeaders()),
            n(3000, scale),
            true));
  }

  private static int n(int base, double scale) {
    return Math.max(1, (int) (base * scale));
  }

  private static void check(WafEngine waf, Kind k) {
    WafVerdict v = waf.inspect(k.request());
    if (v.disruptive() != k.mustBlock()) {
      throw new IllegalStateException(
          k.name() + ": disruptive=" + v.disruptive() + " " + v.matches());
    }
  }

  /** CPU milliseconds per request over {@code k.perRound()} inspections on this thread. */
  private static double measure(WafEngine waf, Kind k, ThreadMXBean mx) {
    long start = mx.getCurrentThreadCpuTime();
    for (int i = 0; i < k.perRound(); i++) {
      if (waf.inspect(k.request()).disruptive() != k.mustBlock()) {
        throw new IllegalStateException(k.name());
      }
    }
    return (mx.getCurrentThreadCpuTime() - start) / 1e6 / k.perRound();
  }

  static String report(Map<String, double[]> results) {
    StringBuilder b =
        new StringBuilder("waf cpu per request (ms, CRS PL1, single thread): median [min..max]\n");
    for (Map.Entry<String, double[]> e : results.entrySet()) {
      double[] v = e.getValue().clone();
      Arrays.sort(v);
      StringJoiner all = new StringJoiner(" ");
      for (double x : e.getValue()) {
        all.add(String.format("%.3f", x));
      }
      b.append(
          String.format(
              "  %-16s %8.3f [%.3f..%.3f]  rounds: %s%n",
              e.getKey(), v[v.length / 2], v[0], v[v.length - 1], all));
    }
    return b.toString();
  }

  static WafRequest benignGet() {
    return Requests.get(
        "/shop/search?q=running+shoes&category=sport&page=2&sort=price_asc&lang=en",
        browserHeaders());
  }

  private static String[] browserHeaders() {
    return new String[] {
      "User-Agent", BROWSER_UA,
      "Accept",
          "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
      "Accept-Language", "en-US,en;q=0.9,de;q=0.7",
      "Accept-Encoding", "gzip, deflate, br",
      "Cookie", "session=3f9a1c2e7b4d8f60; theme=dark; cart_id=a81b2c44",
      "Referer", "https://example.test/shop/home?ref=banner",
    };
  }

  /**
   * A benign urlencoded form of about {@code size} bytes: names, addresses and prose in many
   * fields.
   */
  static WafRequest form(int size) {
    String[] words = {
      "delivery",
      "please",
      "leave",
      "the",
      "parcel",
      "at",
      "front",
      "door",
      "thanks",
      "morning",
      "garden",
      "blue",
      "green",
      "house",
      "number",
      "twelve",
      "street",
      "quiet",
      "weekday",
      "after"
    };
    StringJoiner body = new StringJoiner("&");
    int field = 0;
    int length = 0;
    while (length < size) {
      StringBuilder value = new StringBuilder();
      for (int w = 0; w < 12; w++) {
        value.append(w == 0 ? "" : "+").append(words[(field * 7 + w * 3) % words.length]);
      }
      String pair = "field" + field++ + "=" + value;
      body.add(pair);
      length += pair.length() + 1;
    }
    List<String> headers = new ArrayList<>(List.of(browserHeaders()));
    headers.addAll(List.of("Content-Type", "application/x-www-form-urlencoded"));
    String text = body.toString();
    headers.addAll(List.of("Content-Length", Integer.toString(text.length())));
    return Requests.post("/account/profile", text, headers.toArray(String[]::new));
  }
}
