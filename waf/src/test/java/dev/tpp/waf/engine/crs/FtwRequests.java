package dev.tpp.waf.engine.crs;

import dev.tpp.waf.engine.WafRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns an FTW stage input (headers/method/uri/data, or raw_request / encoded_request) into a
 * {@link WafRequest}.
 */
public final class FtwRequests {
  private FtwRequests() {}

  /**
   * Bytes as ModSecurity sees them: one char per byte; text beyond Latin-1 is UTF-8 encoded first.
   */
  public static String bytes(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0xFF) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
      }
    }
    return s;
  }

  public static WafRequest fromInput(String id, Map<String, Object> input) {
    if (input.get("encoded_request") != null) {
      byte[] raw = Base64.getMimeDecoder().decode(input.get("encoded_request").toString().strip());
      return fromRaw(id, new String(raw, StandardCharsets.ISO_8859_1));
    }
    if (input.get("raw_request") != null) {
      return fromRaw(id, bytes(input.get("raw_request").toString()));
    }
    String method = str(input.get("method"), "GET");
    String uri = bytes(str(input.get("uri"), "/"));
    String version = str(input.get("version"), "HTTP/1.1");
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    boolean hasLength = false;
    boolean hasType = false;
    boolean magic = !Boolean.TRUE.equals(input.get("stop_magic"));
    if (input.get("headers") instanceof Map<?, ?> h) {
      for (Map.Entry<?, ?> e : h.entrySet()) {
        String name = String.valueOf(e.getKey());
        headers.add(
            Map.entry(name, bytes(e.getValue() == null ? "" : String.valueOf(e.getValue()))));
        if (name.equalsIgnoreCase("content-length")) {
          hasLength = true;
        }
        if (name.equalsIgnoreCase("content-type")) {
          hasType = true;
        }
      }
    }
    byte[] body = null;
    Object data = input.get("data");
    if (data != null) {
      String text = data instanceof List<?> lines ? joinLines(lines) : String.valueOf(data);
      body = bytes(text).getBytes(StandardCharsets.ISO_8859_1);
      // FTW's "magic": it adds what a client would send unless the test says stop_magic
      if (!hasLength && magic) {
        headers.add(Map.entry("Content-Length", Integer.toString(body.length)));
      }
      if (!hasType && magic) {
        headers.add(Map.entry("Content-Type", "application/x-www-form-urlencoded"));
      }
    }
    return new WafRequest(
        id,
        "127.0.0.1",
        40000,
        "127.0.0.1",
        80,
        method,
        uri,
        version,
        headers,
        body,
        null,
        body == null ? 0 : body.length);
  }

  private static String joinLines(List<?> lines) {
    StringBuilder b = new StringBuilder();
    for (Object l : lines) {
      b.append(l).append("\r\n");
    }
    return b.toString();
  }

  private static String str(Object o, String dflt) {
    return o == null ? dflt : String.valueOf(o);
  }

  /** Minimal HTTP/1.x parsing: request line, headers up to the blank line, the rest is the body. */
  public static WafRequest fromRaw(String id, String raw) {
    String text = raw.replace("\r\n", "\n");
    int headerEnd = text.indexOf("\n\n");
    String head = headerEnd < 0 ? text : text.substring(0, headerEnd);
    String bodyText = headerEnd < 0 ? "" : text.substring(headerEnd + 2);
    String[] lines = head.split("\n");
    String[] requestLine = lines[0].split(" ", 3);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(
            Map.entry(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip()));
      }
    }
    byte[] body = bodyText.isEmpty() ? null : bodyText.getBytes(StandardCharsets.ISO_8859_1);
    return new WafRequest(
        id,
        "127.0.0.1",
        40000,
        "127.0.0.1",
        80,
        requestLine[0],
        requestLine.length > 1 ? requestLine[1] : "/",
        requestLine.length > 2 ? requestLine[2] : "HTTP/1.1",
        headers,
        body,
        null,
        body == null ? 0 : body.length);
  }
}
