package dev.tpp.proxy.http.corpus;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.proxy.testing.Metrics;
import dev.tpp.proxy.testing.TestProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The smuggling and parsing corpus ({@code requests.tsv}, 100+ raw requests: CL.TE, TE.CL, TE.TE
 * obfuscations, header-name tricks, chunk-size and extension tricks, line endings, pipelining,
 * Expect, upgrade, absolute-form, encoded paths) sent over raw sockets to a real proxy in front of
 * an origin that records the raw bytes it gets. For each request: the statuses the client gets (and
 * whether the connection then closes), and at the origin never a request more than expected, never
 * bytes that are not a whole request the proxy framed, exactly one {@code Host}, and the normalised
 * target. Every mismatch is listed in one failure.
 */
class SmugglingCorpusIT {
  private static final String WAF_RULE =
      "SecRule ARGS \\\"@rx (?i)union\\\\s+select\\\" \\\"id:1001,phase:2,deny,status:403\\\"";

  @Test
  void everyCorpusRequestGetsItsAnswerAndTheOriginOnlyWhatWasParsed() throws Exception {
    List<CorpusCase> cases = CorpusCase.load();
    assertTrue(cases.size() >= 100, "corpus has " + cases.size() + " requests");
    List<String> problems = new ArrayList<>();
    try (RecordingOrigin origin = new RecordingOrigin();
        TestProxy proxy = TestProxy.start(config(origin.port()))) {
      for (CorpusCase c : cases) {
        String problem = run(c, proxy.port(), origin);
        if (problem != null) {
          problems.add(c.name() + ": " + problem);
        }
      }
      problems.addAll(refusalsCounted(cases, proxy.metrics()));
    }
    System.out.println(
        "corpus: " + (cases.size() - problems.size()) + " of " + cases.size() + " as expected");
    assertTrue(
        problems.isEmpty(),
        problems.size() + " corpus requests differ:\n  " + String.join("\n  ", problems));
  }

  /**
   * Each refusal (malformed head or body, timeouts) counts once in tpp_http_requests_total under
   * its status.
   */
  private static List<String> refusalsCounted(List<CorpusCase> cases, Metrics metrics) {
    List<String> problems = new ArrayList<>();
    for (int status : new int[] {400, 408, 414, 431, 501, 505}) {
      long expected =
          cases.stream().flatMap(c -> c.statuses().stream()).filter(s -> s == status).count();
      double counted = metrics.value("tpp_http_requests_total", "status", Integer.toString(status));
      if (counted != expected) {
        problems.add(
            "tpp_http_requests_total{status=\""
                + status
                + "\"} is "
                + counted
                + ", expected "
                + expected);
      }
    }
    return problems;
  }

  private static String config(int originPort) {
    return """
        workers: 1
        http: {headerTimeout: 2s, bodyTimeout: 2s}
        pools: [{name: waf, threads: 1, maxQueue: 64, overflow: reject}]
        upstreams: [{name: origin, endpoints: ["127.0.0.1:%d"], keepaliveConnections: 0}]
        waf: {enabled: true, pool: waf, mode: block, rules: "%s"}
        routes:
          - {path: /, host: internal.test, return: {status: 403, body: "internal\\n"}}
          - {path: /admin, return: {status: 403, body: "admin\\n"}}
          - {path: /stream/, upstream: origin, waf: false}
          - {path: /, upstream: origin}
        """
        .formatted(originPort, WAF_RULE);
  }

  /** Sends one case on a fresh connection; null when all is as expected, else what differed. */
  private static String run(CorpusCase c, int port, RecordingOrigin origin) throws Exception {
    List<Integer> got = new ArrayList<>();
    boolean closed;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(6000);
      socket.getOutputStream().write(c.raw());
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      while (got.size() < c.statuses().size()) {
        int status = readResponse(in);
        if (status < 0) {
          break;
        }
        got.add(status);
      }
      closed = got.size() == c.statuses().size() && c.closes() ? closes(in) : false;
    }
    List<RecordingOrigin.Connection> seen = origin.settle();
    String problem =
        !got.equals(c.statuses())
            ? "statuses " + got + ", expected " + c.statuses()
            : c.closes() && !closed ? "the connection stayed open after " + got : null;
    return problem != null ? problem : OriginCheck.problem(c, seen);
  }

  /** Reads one response; its status, or -1 at end of stream or timeout. */
  private static int readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    try {
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          return -1;
        }
        head.write(b);
      }
    } catch (SocketTimeoutException e) {
      return -1;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(text.substring(9, 12));
    int cl = text.toLowerCase().indexOf("content-length:");
    int length =
        cl < 0 ? 0 : Integer.parseInt(text.substring(cl + 15, text.indexOf("\r\n", cl)).trim());
    in.readNBytes(length);
    return status;
  }

  private static boolean closes(InputStream in) {
    try {
      return in.read() < 0;
    } catch (IOException e) {
      return e instanceof java.net.SocketException; // a reset is a close too
    }
  }
}
