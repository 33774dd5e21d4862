package dev.tpp.proxy.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A request-target as the proxy routes, inspects and forwards it (RFC 9112 §3.2, RFC 3986 §6.2.2):
 * origin-form, or absolute-form ({@code http://host/p}) whose authority becomes the {@code Host};
 * the path with percent-encoded unreserved characters decoded, other escapes upper-cased, {@code .}
 * and {@code ..} segments removed, and runs of {@code /} merged; the fragment dropped; the query
 * kept as sent. Refused with 400: a {@code ..} above the root, a dot segment with {@code
 * ;parameters}, a malformed escape, a raw {@code \}, and encoded {@code /}, {@code \} or NUL
 * ({@code %2F} stays allowed — kept encoded, never a separator — with {@code
 * http.allowEncodedSlash}). Pure.
 */
public record RequestTarget(String path, @Nullable String query, @Nullable String authority) {

  /** The origin-form sent to the origin: the normalised path and the query. */
  public String originForm() {
    return query == null ? path : path + "?" + query;
  }

  /** Parses and normalises {@code raw} (already checked to be visible ASCII by the decoder). */
  public static RequestTarget parse(String raw, boolean allowEncodedSlash) {
    int query = normalQueryStart(raw);
    if (query >= 0) { // already normal: no copy of the path, and originForm() is raw itself
      return query == raw.length()
          ? new RequestTarget(raw, null, null)
          : new RequestTarget(raw.substring(0, query), raw.substring(query + 1), null);
    }
    return parseFully(raw, allowEncodedSlash);
  }

  /** {@link #parse} without the shortcut for targets already normal. */
  static RequestTarget parseFully(String raw, boolean allowEncodedSlash) {
    String authority = null;
    String rest = raw;
    if (!raw.startsWith("/")) {
      int colon = raw.indexOf("://");
      String scheme = colon < 0 ? "" : raw.substring(0, colon).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        throw RequestRejectedException.badRequest(
            "request-target is neither an absolute path nor an http(s) URI");
      }
      int end = colon + 3;
      while (end < raw.length() && "/?#".indexOf(raw.charAt(end)) < 0) {
        end++;
      }
      authority = raw.substring(colon + 3, end);
      if (!RequestHeadRules.isValidHost(authority)) {
        throw RequestRejectedException.badRequest(
            "invalid authority in the absolute-form request-target");
      }
      rest = "/" + raw.substring(end);
    }
    int hash = rest.indexOf('#');
    if (hash >= 0) {
      rest = rest.substring(0, hash);
    }
    int q = rest.indexOf('?');
    String path = q < 0 ? rest : rest.substring(0, q);
    return new RequestTarget(
        removeDotSegments(decodeUnreserved(path, allowEncodedSlash)),
        q < 0 ? null : rest.substring(q + 1),
        authority);
  }

  /**
   * Where the query of an origin-form target that normalising would leave as it is begins (its
   * {@code ?}, or the length when there is none); -1 when {@code raw} needs the full parse: not
   * origin-form, or its path has a {@code %}, a backslash, an empty segment before the last, or a
   * segment that starts with {@code .}; or it has a fragment.
   */
  static int normalQueryStart(String raw) {
    int n = raw.length();
    if (n == 0 || raw.charAt(0) != '/') {
      return -1;
    }
    int i = 1;
    for (; i < n; i++) {
      char c = raw.charAt(i);
      if (c == '?') {
        break;
      }
      if (c == '%'
          || c == '\\'
          || c == '#'
          || (raw.charAt(i - 1) == '/' && (c == '/' || c == '.'))) {
        return -1;
      }
    }
    return i < n && raw.indexOf('#', i) >= 0 ? -1 : i;
  }

  private static String decodeUnreserved(String path, boolean allowEncodedSlash) {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        throw RequestRejectedException.badRequest("backslash in the path");
      }
      if (c != '%') {
        out.append(c);
        continue;
      }
      int hi = i + 2 < path.length() ? Character.digit(path.charAt(i + 1), 16) : -1;
      int lo = hi < 0 ? -1 : Character.digit(path.charAt(i + 2), 16);
      if (lo < 0) {
        throw RequestRejectedException.badRequest("malformed percent-encoding in the path");
      }
      char decoded = (char) (hi * 16 + lo);
      if (isUnreserved(decoded)) {
        out.append(decoded);
      } else if (decoded == '/' && !allowEncodedSlash || decoded == '\\' || decoded == 0) {
        throw RequestRejectedException.badRequest(
            "encoded " + (decoded == 0 ? "NUL" : String.valueOf(decoded)) + " in the path");
      } else {
        out.append('%')
            .append(Character.toUpperCase(path.charAt(i + 1)))
            .append(Character.toUpperCase(path.charAt(i + 2)));
      }
      i += 2;
    }
    return out.toString();
  }

  private static boolean isUnreserved(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  /**
   * RFC 3986 §5.2.4 plus merged slashes; a {@code ..} that would climb above the root is refused.
   */
  private static String removeDotSegments(String path) {
    List<String> kept = new ArrayList<>();
    String[] segments = path.split("/", -1);
    boolean trailingSlash = false;
    for (int i = 1; i < segments.length; i++) {
      String s = segments[i];
      String bare = s.indexOf(';') < 0 ? s : s.substring(0, s.indexOf(';'));
      boolean last = i == segments.length - 1;
      if ((bare.equals(".") || bare.equals("..")) && !bare.equals(s)) {
        throw RequestRejectedException.badRequest("dot segment with parameters in the path");
      }
      if (s.equals("..")) {
        if (kept.isEmpty()) {
          throw RequestRejectedException.badRequest("path climbs above the root");
        }
        kept.remove(kept.size() - 1);
      } else if (!s.isEmpty() && !s.equals(".")) {
        kept.add(s);
      }
      trailingSlash = last && (s.isEmpty() || s.equals(".") || s.equals(".."));
    }
    String joined = "/" + String.join("/", kept);
    return trailingSlash && !kept.isEmpty() ? joined + "/" : joined;
  }
}
