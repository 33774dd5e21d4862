package dev.tpp.proxy.waf.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the OWASP CRS regression tests (CRS 3.3's FTW or CRS 4's go-ftw format) through the real
 * proxy over HTTP: {@code make waf-conformance CRS_TESTS=DIR CRS_RULES=DIR}. The proxy runs as its
 * own process ({@code java -jar tpp-proxy.jar}) with CRS at paranoia level 4 and the setup rule
 * from the CRS test README, in front of a {@link ReflectBackend}; each request carries an {@code
 * X-CRS-Test} header that a logging rule echoes, which ties the proxy's WAF log lines to the test.
 * Prints {@code crs VERSION: N passed, M failed (K known), O overridden} and fails when a test
 * outside the version's known failures fails, or a known failure passes ({@link CrsExpectations}).
 */
@EnabledIfSystemProperty(named = "crs.tests", matches = ".+")
class CrsConformanceIT {
  private static final String SETUP_3 =
      """
      SecAction "id:900005,phase:1,nolog,pass,ctl:ruleEngine=DetectionOnly,ctl:ruleRemoveById=910000,\\
        setvar:tx.paranoia_level=4,setvar:tx.crs_validate_utf8_encoding=1,setvar:tx.arg_name_length=100,\\
        setvar:tx.arg_length=400"
      """;
  // CRS 4's tests/regression/README.md
  private static final String SETUP_4 =
      """
      SecAction "id:900005,phase:1,nolog,pass,ctl:ruleEngine=DetectionOnly,ctl:ruleRemoveById=910000,\\
        setvar:tx.blocking_paranoia_level=4,setvar:tx.crs_validate_utf8_encoding=1,setvar:tx.arg_name_length=100,\\
        setvar:tx.arg_length=400,setvar:tx.total_arg_length=64000,setvar:tx.max_num_args=255,\\
        setvar:tx.max_file_size=64100,setvar:tx.combined_file_sizes=65535"
      """;
  // As ModSecurity's modsecurity.conf-recommended, which CRS's test environments load before CRS.
  private static final String RESPONSE_BODIES =
      """
      SecResponseBodyAccess On
      SecResponseBodyMimeType text/plain text/html text/xml
      """;
  private static final String MARKER =
      "SecRule REQUEST_HEADERS:X-CRS-Test \"@rx ^.*$\" \"id:999999,phase:1,pass,log,msg:'%{MATCHED_VAR}'\"\n";
  private static final Pattern TAG =
      Pattern.compile("event=waf_match id=(\\S+) rule=999999 .*\\[msg \"(crs-[0-9-]+)\"\\]");
  private static final Pattern MATCH = Pattern.compile("event=waf_match id=(\\S+) ");

  @TempDir Path dir;

  record Outcome(int status, boolean error) {}

  @Test
  void crsRegressionTestsPassThroughTheProxy() throws Exception {
    Path tests = Path.of(System.getProperty("crs.tests")).toAbsolutePath();
    Path crs = Path.of(System.getProperty("crs.rules")).toAbsolutePath();
    CrsExpectations expectations = CrsExpectations.load(crs, Path.of("src/test/resources/crs"));
    List<FtwTest> all = FtwTest.load(tests);
    Path log = dir.resolve("proxy.log");
    long start = System.nanoTime();
    Map<String, Outcome> outcomes = new HashMap<>();
    try (ReflectBackend backend = new ReflectBackend()) {
      Process proxy = startProxy(crs, expectations.version(), backend.port(), log);
      try {
        int port = awaitPort(proxy, log);
        for (int t = 0; t < all.size(); t++) {
          List<FtwTest.Stage> stages = all.get(t).stages();
          for (int s = 0; s < stages.size(); s++) {
            String tag = "crs-" + t + "-" + s;
            outcomes.put(tag, send(port, tagged(stages.get(s).request(), tag)));
          }
        }
      } finally {
        proxy.destroy(); // SIGTERM: graceful drain, then exit
        proxy.waitFor(60, TimeUnit.SECONDS);
      }
    }
    Files.copy(
        log,
        Path.of("target", "crs-proxy-" + expectations.version() + ".log"),
        java.nio.file.StandardCopyOption
            .REPLACE_EXISTING); // for a look at what a failing test logged
    List<String> lines = Files.readAllLines(log);
    List<String> bufferErrors =
        lines.stream()
            .filter(l -> l.contains("LEAK:") || l.contains("IllegalReferenceCountException"))
            .toList();
    assertTrue(
        bufferErrors.isEmpty(),
        "buffer leaks or double releases in the proxy's log: " + bufferErrors);
    Map<String, List<String>> linesByTag = correlate(lines);
    new CrsReport(expectations, all, outcomes, linesByTag, System.nanoTime() - start)
        .assertAsPinned();
  }

  private Process startProxy(Path crs, String version, int backendPort, Path log)
      throws IOException {
    Files.writeString(
        dir.resolve("setup.conf"),
        RESPONSE_BODIES + (version.startsWith("3.") ? SETUP_3 : SETUP_4) + MARKER);
    String rules =
        Files.exists(crs.resolve("crs-setup.conf.example"))
            ? "crs-setup.conf.example"
            : "crs-setup.conf";
    Files.writeString(
        dir.resolve("proxy.yaml"),
        """
        listen: {address: 127.0.0.1, port: 0}
        admin: {address: 127.0.0.1, port: 0}
        workers: 2
        http: {maxRequestLine: 64Ki, maxHeaderSize: 64Ki}
        pools: [{name: waf, threads: 2, maxQueue: 1024, overflow: reject}]
        waf:
          enabled: true
          pool: waf
          mode: block
          requestBodyLimit: 16Mi
          ruleFiles: [%s, %s, %s]
        upstreams: [{name: backend, endpoints: ["127.0.0.1:%d"], keepaliveConnections: 8}]
        routes: [{path: /, upstream: backend}]
        """
            .formatted(
                crs.resolve(rules),
                dir.resolve("setup.conf"),
                crs.resolve("rules/*.conf"),
                backendPort));
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Dio.netty.leakDetection.level=paranoid",
            "-jar",
            Path.of("target", "tpp-proxy.jar").toAbsolutePath().toString(),
            "--config",
            dir.resolve("proxy.yaml").toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  private static int awaitPort(Process proxy, Path log) throws Exception {
    Pattern started = Pattern.compile("event=started .* port=(\\d+) ");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!proxy.isAlive()) {
        throw new IllegalStateException("proxy exited: " + Files.readString(log));
      }
      Matcher m = started.matcher(Files.readString(log));
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      proxy.waitFor(
          100,
          TimeUnit.MILLISECONDS); // the start-up log line is the event; the process gives no other
    }
    throw new IllegalStateException("proxy did not start: " + Files.readString(log));
  }

  /** Inserts the correlation header after the request line. */
  static byte[] tagged(byte[] request, String tag) {
    String text = new String(request, StandardCharsets.ISO_8859_1);
    int eol = text.indexOf('\n');
    String header = "X-CRS-Test: " + tag + "\r\n";
    String out =
        eol < 0
            ? text + "\r\n" + header
            : text.substring(0, eol + 1) + header + text.substring(eol + 1);
    return out.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Sends one request and reads the status of its response (error: the connection ended without
   * one).
   */
  static Outcome send(int port, byte[] request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      String head = readHead(socket.getInputStream());
      if (!head.startsWith("HTTP/1.")) {
        return new Outcome(0, true);
      }
      return new Outcome(Integer.parseInt(head.substring(9, 12)), false);
    } catch (IOException | RuntimeException e) {
      return new Outcome(0, true);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      out.write(c);
      if (out.size() >= 4 && out.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        break;
      }
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Groups the WAF log lines by the test tag of the request that produced them. */
  static Map<String, List<String>> correlate(List<String> lines) {
    Map<String, String> tagById = new HashMap<>();
    for (String line : lines) {
      Matcher m = TAG.matcher(line);
      if (m.find()) {
        tagById.put(m.group(1), m.group(2));
      }
    }
    Map<String, List<String>> byTag = new HashMap<>();
    for (String line : lines) {
      Matcher m = MATCH.matcher(line);
      if (m.find() && tagById.containsKey(m.group(1)) && !line.contains(" rule=999999 ")) {
        byTag.computeIfAbsent(tagById.get(m.group(1)), k -> new ArrayList<>()).add(line);
      }
    }
    return byTag;
  }
}
