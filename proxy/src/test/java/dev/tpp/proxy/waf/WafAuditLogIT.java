package dev.tpp.proxy.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.tpp.proxy.testing.TestProxy;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The audit log of the real proxy: ModSecurity's JSON records, written off the loop, RelevantOnly
 * honoured.
 */
class WafAuditLogIT {
  @TempDir Path dir;

  private TestProxy start(Path log, String engine) throws Exception {
    return TestProxy.start(
        """
        pools: [{name: waf, threads: 2, maxQueue: 16, overflow: reject}]
        waf:
          enabled: true
          pool: waf
          rules: |
            SecAuditEngine %s
            SecAuditLogParts ABCFHZ
            SecAuditLogFormat JSON
            SecAuditLogRelevantStatus "^404$"
            SecAuditLog %s
            SecComponentSignature "tpp-test/1.0"
            SecRule ARGS "@detectXSS" "id:941999,phase:2,deny,status:403,msg:'XSS by libinjection',logdata:'%%{MATCHED_VAR}',tag:'attack-xss',severity:CRITICAL,ver:'test/1'"
        routes:
          - {path: /missing, return: {status: 404, body: "no\\n"}}
          - {path: /, return: {status: 200, body: "ok\\n"}}
        """
            .formatted(engine, log));
  }

  @Test
  void attackIsWrittenAsModSecurityJsonAndCleanRequestsAreNotUnderRelevantOnly() throws Exception {
    Path log = dir.resolve("audit/modsec_audit.json");
    try (TestProxy proxy = start(log, "RelevantOnly")) {
      double before = written(proxy);
      assertEquals(200, proxy.get("/search?q=thread+pools").statusCode());
      HttpResponse<String> attack =
          proxy
              .client()
              .send(
                  HttpRequest.newBuilder(proxy.uri("/search?q=%3Cscript%3Ealert(1)%3C/script%3E"))
                      .header("User-Agent", "audit-test")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(403, attack.statusCode());
      List<Map<String, Object>> records = awaitRecords(proxy, log, before, 1);
      assertEquals(1, records.size(), "the clean request before the attack wrote nothing");
      Map<String, Object> tx = map(records.get(0), "transaction");
      assertEquals("127.0.0.1", tx.get("client_ip"));
      assertTrue(
          tx.get("client_port") instanceof Integer && tx.get("host_port").equals(proxy.port()),
          tx.toString());
      assertTrue(
          ((String) tx.get("time_stamp"))
              .matches("\\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}"));
      assertTrue(((String) tx.get("server_id")).matches("[0-9a-f]{40}"));
      Map<String, Object> request = map(tx, "request");
      assertEquals("GET", request.get("method"));
      assertEquals(1.1, request.get("http_version"));
      assertEquals("/search?q=%3Cscript%3Ealert(1)%3C/script%3E", request.get("uri"));
      assertEquals("audit-test", map(request, "headers").get("User-Agent"));
      assertEquals(403, map(tx, "response").get("http_code"));
      Map<String, Object> producer = map(tx, "producer");
      assertEquals(List.of("tpp-test/1.0"), producer.get("components"));
      assertEquals("Enabled", producer.get("secrules_engine"));
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> messages = (List<Map<String, Object>>) tx.get("messages");
      assertEquals(1, messages.size());
      assertEquals("XSS by libinjection", messages.get(0).get("message"));
      Map<String, Object> details = map(messages.get(0), "details");
      assertEquals("941999", details.get("ruleId"));
      assertEquals("2", details.get("severity"));
      assertEquals("<script>alert(1)</script>", details.get("data"));
      assertEquals(List.of("attack-xss"), details.get("tags"));
      assertEquals("test/1", details.get("ver"));
      assertTrue(
          ((String) details.get("match")).toLowerCase().contains("operator `detectxss'"),
          details.toString());
      assertTrue(Integer.parseInt((String) details.get("lineNumber")) > 0);
    }
  }

  @Test
  void relevantStatusIsWrittenWithoutAnyRuleMatch() throws Exception {
    Path log = dir.resolve("status.json");
    try (TestProxy proxy = start(log, "RelevantOnly")) {
      double before = written(proxy);
      assertEquals(404, proxy.get("/missing").statusCode());
      List<Map<String, Object>> records = awaitRecords(proxy, log, before, 1);
      Map<String, Object> tx = map(records.get(0), "transaction");
      assertEquals(404, map(tx, "response").get("http_code"));
      assertEquals(List.of(), tx.get("messages"));
    }
  }

  @Test
  void engineOnWritesEveryTransactionAndOffNone() throws Exception {
    Path on = dir.resolve("on.json");
    try (TestProxy proxy = start(on, "On")) {
      double before = written(proxy);
      assertEquals(200, proxy.get("/a").statusCode());
      assertEquals(200, proxy.get("/b").statusCode());
      assertEquals(
          List.of("/a", "/b"),
          awaitRecords(proxy, on, before, 2).stream()
              .map(r -> map(map(r, "transaction"), "request").get("uri"))
              .toList());
    }
    Path off = dir.resolve("off.json");
    try (TestProxy proxy = start(off, "Off")) {
      assertEquals(403, proxy.get("/?q=%3Csvg%20onload%3Dx%3E").statusCode());
      assertTrue(Files.notExists(off), "Off: no audit log at all");
    }
  }

  @Test
  void responsePhasesAddTheirMatchesHeadersAndBodyEvenWhenTheResponseStreams() throws Exception {
    HttpServer origin = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    for (String type : List.of("text/html", "image/png")) {
      origin.createContext(
          "/" + type.substring(type.indexOf('/') + 1),
          ex -> {
            ex.getResponseHeaders().set("Content-Type", type);
            ex.getResponseHeaders().set("X-Powered-By", "leak");
            ex.sendResponseHeaders(200, 4);
            try (OutputStream out = ex.getResponseBody()) {
              out.write("page".getBytes(StandardCharsets.US_ASCII));
            }
          });
    }
    origin.start();
    Path log = dir.resolve("response.json");
    try (TestProxy proxy =
        TestProxy.start(
            """
        pools: [{name: waf, threads: 1, maxQueue: 16, overflow: reject}]
        upstreams: [{name: origin, endpoints: ["127.0.0.1:%d"]}]
        routes: [{path: /, upstream: origin}]
        waf:
          enabled: true
          pool: waf
          rules: |
            SecAuditEngine RelevantOnly
            SecAuditLogParts ABEFHZ
            SecAuditLog %s
            SecResponseBodyAccess On
            SecRule RESPONSE_HEADERS:X-Powered-By "@streq leak" "id:950999,phase:3,pass,log,msg:'header leak'"
            SecRule RESPONSE_BODY "@contains page" "id:951999,phase:4,pass,log,msg:'body seen'"
        """
                .formatted(origin.getAddress().getPort(), log))) {
      double before = written(proxy);
      assertEquals("page", proxy.get("/html").body());
      assertEquals(
          "page", proxy.get("/png").body(), "not inspected: streams while phase 3 runs beside it");
      List<Map<String, Object>> records = awaitRecords(proxy, log, before, 2);
      Map<String, Object> held = map(map(records.get(0), "transaction"), "response");
      assertEquals(200, held.get("http_code"));
      assertEquals("page", held.get("body"));
      // names as the origin sent them (the JDK's server writes "X-powered-by")
      assertEquals(
          List.of("leak"),
          map(held, "headers").entrySet().stream()
              .filter(h -> h.getKey().equalsIgnoreCase("X-Powered-By"))
              .map(Map.Entry::getValue)
              .toList());
      assertEquals(List.of("950999", "951999"), ruleIds(records.get(0)));
      assertEquals("", map(map(records.get(1), "transaction"), "response").get("body"));
      assertEquals(
          List.of("950999"), ruleIds(records.get(1)), "the record waited for phase 3's verdict");
    } finally {
      origin.stop(0);
    }
  }

  @Test
  void stalledTargetDropsAndCountsWhileRequestsGoOn() throws Exception {
    Path fifo = dir.resolve("stalled.fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
    try (TestProxy proxy = start(fifo, "On")) {
      double dropped = proxy.metrics().value("tpp_waf_audit_records_total", "result", "dropped");
      double written = written(proxy);
      int requests = AuditLogWriter.MAX_RECORDS + 100;
      for (int i = 0; i < requests; i++) {
        // nobody reads the FIFO: the writer is stuck opening it, the queue fills, requests are
        // still answered
        assertEquals(200, proxy.get("/n" + i).statusCode());
      }
      double droppedNow =
          proxy.metrics().value("tpp_waf_audit_records_total", "result", "dropped") - dropped;
      assertTrue(
          droppedNow >= 99 && droppedNow <= 100, "dropped " + droppedNow + " of " + requests);
      assertEquals(written, written(proxy), "nothing written while the target is stalled");
      try (var reader =
          Files.newInputStream(fifo)) { // the target moves again: what was queued is written
        byte[] buffer = new byte[65536];
        long lines = 0;
        while (lines < requests - droppedNow) {
          int n = reader.read(buffer);
          assertTrue(n > 0, "writer stopped after " + lines + " records");
          for (int k = 0; k < n; k++) if (buffer[k] == '\n') lines++;
        }
        assertEquals(requests - droppedNow, lines);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> ruleIds(Map<String, Object> record) {
    return ((List<Map<String, Object>>) map(record, "transaction").get("messages"))
        .stream().map(m -> (String) map(m, "details").get("ruleId")).toList();
  }

  private static double written(TestProxy proxy) throws Exception {
    return proxy.metrics().value("tpp_waf_audit_records_total", "result", "written");
  }

  /**
   * Waits (at most 20 s) until the writer counted {@code n} more records, then parses the file's
   * lines.
   */
  private static List<Map<String, Object>> awaitRecords(
      TestProxy proxy, Path log, double before, int n) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (written(proxy) < before + n) {
      assertTrue(System.nanoTime() < deadline, "audit records not written within 20 s");
      Thread.onSpinWait();
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    return lines.stream().map(line -> new Yaml().<Map<String, Object>>load(line)).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    return (Map<String, Object>) parent.get(key);
  }
}
