package dev.tpp.proxy.http.corpus;

import java.util.List;

/** What the recording origin must have seen of one corpus request. Pure. */
final class OriginCheck {
  private OriginCheck() {}

  /** Null when {@code seen} is what {@code c} allows, else what is wrong. */
  static String problem(CorpusCase c, List<RecordingOrigin.Connection> seen) {
    int requests = 0;
    for (RecordingOrigin.Connection connection : seen) {
      if (connection.requests().size() > 1) {
        return "the origin got " + connection.requests().size() + " requests on one connection";
      }
      boolean partialBodyCut =
          connection.requests().isEmpty(); // a refused streaming body: cut, never completed
      if (connection.leftover().length > 0 && !partialBodyCut) {
        return "the origin got bytes after a whole request: " + shown(connection.leftover());
      }
      for (RecordingOrigin.Request r : connection.requests()) {
        requests++;
        String problem = request(c, r);
        if (problem != null) {
          return problem;
        }
      }
    }
    return requests == c.originRequests()
        ? null
        : "the origin got " + requests + " whole requests, expected " + c.originRequests();
  }

  private static String request(CorpusCase c, RecordingOrigin.Request r) {
    if (r.all("host").size() != 1) {
      return "the origin got Host " + r.all("host");
    }
    if (!r.all("upgrade").isEmpty() || !r.all("expect").isEmpty()) {
      return "the origin got a hop-by-hop header: " + r.headers();
    }
    String target = r.line().split(" ")[1];
    if (!c.originTarget().equals("-") && !target.equals(c.originTarget())) {
      return "the origin got target " + target + ", expected " + c.originTarget();
    }
    if (c.name().startsWith("connection-content-type") && r.all("content-type").isEmpty()) {
      return "Connection: Content-Type stripped Content-Type";
    }
    if (c.name().startsWith("absolute-form-host-from-target")
        && !r.all("host").equals(List.of("evil.test"))) {
      return "absolute-form: the origin got Host " + r.all("host");
    }
    return null;
  }

  private static String shown(byte[] bytes) {
    String s =
        new String(
            bytes, 0, Math.min(bytes.length, 80), java.nio.charset.StandardCharsets.ISO_8859_1);
    return dev.tpp.proxy.http.LogValues.escape(s);
  }
}
