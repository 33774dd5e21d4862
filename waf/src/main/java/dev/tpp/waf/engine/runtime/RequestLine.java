package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.transform.Transformations;
import java.util.ArrayList;
import java.util.List;

/** The request line split the way ModSecurity names its parts. Computed once per transaction. */
record RequestLine(
    String uri, String uriRaw, String path, String basename, String query, String line) {

  static RequestLine of(WafRequest r) {
    String raw = r.uri() == null ? "" : r.uri();
    String uri = raw;
    // absolute-form: REQUEST_URI drops scheme and authority, REQUEST_URI_RAW keeps them
    int scheme = raw.indexOf("://");
    if (scheme > 0 && scheme < 8 && raw.indexOf('/') == scheme + 1) {
      int slash = raw.indexOf('/', scheme + 3);
      uri = slash < 0 ? "/" : raw.substring(slash);
    }
    // a fragment is no part of the target (RFC 3986): only REQUEST_URI_RAW and REQUEST_LINE keep
    // it, as in ModSecurity (Apache's parsed_uri, libmodsecurity3's processURI)
    int hash = uri.indexOf('#');
    if (hash >= 0) {
      uri = uri.substring(0, hash);
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q + 1);
    path = percentDecode(path); // REQUEST_FILENAME is the decoded path (Apache's parsed_uri.path,
    // libmodsecurity3)
    int lastSlash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    // only what follows a slash, as in ModSecurity: "CONNECT host:443" has no REQUEST_BASENAME
    String basename = lastSlash < 0 ? "" : path.substring(lastSlash + 1);
    String line = r.method() + " " + raw + " " + r.protocol();
    return new RequestLine(uri, raw, path, basename, query, line);
  }

  /** %XX escapes decoded; '+' stays (a path is not form data); invalid escapes kept as they are. */
  static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
      int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
      if (c == '%' && lo >= 0) {
        out.append((char) (hi * 16 + lo));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  static List<KeyValue> parseArgs(String text, char separator) {
    ArrayList<KeyValue> out = new ArrayList<>();
    if (text == null || text.isEmpty()) {
      return out;
    }
    int start = 0;
    while (start <= text.length()) {
      int end = text.indexOf(separator, start);
      if (end < 0) {
        end = text.length();
      }
      String pair = text.substring(start, end);
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        out.add(new KeyValue(Transformations.urlDecode(name), Transformations.urlDecode(value)));
      }
      start = end + 1;
    }
    return out;
  }
}
