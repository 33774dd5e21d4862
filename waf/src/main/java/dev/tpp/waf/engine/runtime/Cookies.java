package dev.tpp.waf.engine.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Cookie header into REQUEST_COOKIES entries (v0 cookies, ';' separated, values kept raw).
 */
final class Cookies {
  private Cookies() {}

  static List<KeyValue> parse(String header) {
    List<KeyValue> out = new ArrayList<>();
    for (String part : header.split(";")) {
      String p = part.strip();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      String name = eq < 0 ? p : p.substring(0, eq).strip();
      String value = eq < 0 ? "" : p.substring(eq + 1).strip();
      out.add(new KeyValue(name, value));
    }
    return out;
  }
}
