package dev.tpp.waf.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds {@link WafRequest}s for tests. */
final class Requests {
  private Requests() {}

  static WafRequest get(String uri, String... headers) {
    return request("GET", uri, null, headers);
  }

  static WafRequest post(String uri, String body, String... headers) {
    return request("POST", uri, body, headers);
  }

  static WafRequest request(String method, String uri, String body, String... headers) {
    List<Map.Entry<String, String>> list = new ArrayList<>();
    list.add(Map.entry("Host", "example.test"));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      list.add(Map.entry(headers[i], headers[i + 1]));
    }
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.UTF_8);
    return new WafRequest(
        "req-1",
        "192.0.2.7",
        50000,
        "10.0.0.1",
        8080,
        method,
        uri,
        "HTTP/1.1",
        list,
        bytes,
        null,
        bytes == null ? 0 : bytes.length);
  }
}
