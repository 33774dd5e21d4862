package dev.tpp.waf.engine.differential;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Request bodies in the four shapes ModSecurity's body processors read: urlencoded forms,
 * multipart/form-data, JSON and XML. Text is "bytes as chars" (one char per byte, as the engine
 * sees request data). Pure.
 */
final class Bodies {
  static final String BOUNDARY = "----tppBoundary7MA4YWxkTrZu0gW";

  private Bodies() {}

  /**
   * {@code application/x-www-form-urlencoded}: names and values encoded as browsers do (space as
   * +).
   */
  static String form(List<Map.Entry<String, String>> fields) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> f : fields) {
      if (b.length() > 0) {
        b.append('&');
      }
      b.append(formEncode(f.getKey())).append('=').append(formEncode(f.getValue()));
    }
    return b.toString();
  }

  static String formEncode(String bytes) {
    StringBuilder b = new StringBuilder();
    for (char c : bytes.toCharArray()) {
      if (Character.isLetterOrDigit(c) && c < 0x80
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '*') {
        b.append(c);
      } else if (c == ' ') {
        b.append('+');
      } else {
        b.append('%').append(String.format("%02X", (int) c & 0xFF));
      }
    }
    return b.toString();
  }

  /**
   * One multipart part: a field when {@code filename} is null, else a file with its content type.
   */
  record Part(String name, String filename, String contentType, String content) {}

  static String multipart(List<Part> parts) {
    StringBuilder b = new StringBuilder();
    for (Part p : parts) {
      b.append("--").append(BOUNDARY).append("\r\n");
      b.append("Content-Disposition: form-data; name=\"").append(p.name()).append('"');
      if (p.filename() != null) {
        b.append("; filename=\"").append(p.filename()).append('"');
      }
      b.append("\r\n");
      if (p.contentType() != null) {
        b.append("Content-Type: ").append(p.contentType()).append("\r\n");
      }
      b.append("\r\n").append(p.content()).append("\r\n");
    }
    return b.append("--").append(BOUNDARY).append("--\r\n").toString();
  }

  /**
   * A JSON string literal of {@code bytes} (read as UTF-8 text where it is), escaped as JSON
   * encoders do.
   */
  static String jsonString(String bytes) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : bytes.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /** Text escaped for an XML element or a double-quoted attribute. */
  static String xmlText(String bytes) {
    return bytes
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** UTF-8 text as bytes-as-chars. */
  static String utf8(String text) {
    return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }
}
