package dev.tpp.waf.engine.differential;

import dev.tpp.waf.engine.WafRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A generated request before it is rendered: the pieces a generator fills (already encoded for the
 * wire where they are raw) and {@link #build} turning them into a {@link WafRequest} with
 * Content-Type and Content-Length. Mutable, one thread.
 */
final class RequestDraft {
  /** Which body processor the body is meant for. */
  enum Body {
    NONE,
    FORM,
    MULTIPART,
    JSON,
    XML
  }

  String method = "GET";
  String protocol = "HTTP/1.1";
  String path = "/";
  final List<String> query = new ArrayList<>(); // "name=value", on the wire
  final List<Map.Entry<String, String>> headers = new ArrayList<>();
  final List<String> cookies = new ArrayList<>(); // "name=value"
  Body body = Body.NONE;
  final List<String> form = new ArrayList<>(); // "name=value", on the wire
  final List<Bodies.Part> parts = new ArrayList<>();
  final List<String> json = new ArrayList<>(); // "\"key\": value" members of the top object
  final List<String> xml = new ArrayList<>(); // elements inside the root
  String contentType; // overrides the body kind's usual type

  RequestDraft header(String name, String value) {
    headers.add(Map.entry(name, value));
    return this;
  }

  WafRequest build(String id) {
    String uri = query.isEmpty() ? path : path + "?" + String.join("&", query);
    List<Map.Entry<String, String>> all = new ArrayList<>(headers);
    if (!cookies.isEmpty()) {
      all.add(Map.entry("Cookie", String.join("; ", cookies)));
    }
    String text = bodyText();
    byte[] bytes = text == null ? null : text.getBytes(StandardCharsets.ISO_8859_1);
    if (bytes != null) {
      all.add(Map.entry("Content-Type", contentType != null ? contentType : defaultType()));
      all.add(Map.entry("Content-Length", Integer.toString(bytes.length)));
    }
    return new WafRequest(
        id,
        "127.0.0.1",
        40000,
        "127.0.0.1",
        80,
        method,
        uri,
        protocol,
        all,
        bytes,
        null,
        bytes == null ? 0 : bytes.length);
  }

  private String bodyText() {
    return switch (body) {
      case NONE -> null;
      case FORM -> String.join("&", form);
      case MULTIPART -> Bodies.multipart(parts);
      case JSON -> "{" + String.join(", ", json) + "}";
      case XML ->
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<request>"
              + String.join("", xml)
              + "</request>";
    };
  }

  private String defaultType() {
    return switch (body) {
      case FORM -> "application/x-www-form-urlencoded";
      case MULTIPART -> "multipart/form-data; boundary=" + Bodies.BOUNDARY;
      case JSON -> "application/json";
      case XML -> "application/xml";
      case NONE -> "text/plain";
    };
  }
}
