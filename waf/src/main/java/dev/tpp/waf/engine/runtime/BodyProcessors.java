package dev.tpp.waf.engine.runtime;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Chooses and runs the request-body processor between phases 1 and 2: the one set by {@code
 * ctl:requestBodyProcessor}, else by Content-Type (urlencoded, multipart, and, as ModSecurity's
 * recommended configuration does, XML and JSON).
 */
final class BodyProcessors {
  private BodyProcessors() {}

  static String byContentType(@Nullable String contentType) {
    String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT).strip();
    if (ct.startsWith("application/x-www-form-urlencoded")) {
      return "URLENCODED";
    }
    if (ct.startsWith("multipart/form-data")) {
      return "MULTIPART";
    }
    if (ct.startsWith("application/json") || ct.matches("application/[a-z0-9.+-]+\\+json.*")) {
      return "JSON";
    }
    if (ct.matches("(?:application(?:/soap\\+|/)|text/)xml.*")) {
      return "XML";
    }
    return "";
  }

  static void run(String processor, @Nullable String contentType, String body, BodyData out) {
    out.processor = processor;
    out.raw = body;
    switch (processor) {
      case "URLENCODED" -> out.args.addAll(RequestLine.parseArgs(body, '&'));
      case "MULTIPART" -> MultipartParser.parse(contentType == null ? "" : contentType, body, out);
      case "JSON" -> JsonFlattener.parse(body, out);
      case "XML" -> XmlExtractor.parse(body, out);
      default -> {}
    }
  }
}
