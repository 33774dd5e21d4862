package dev.tpp.proxy.http2;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Set;

/**
 * An HTTP/1.1 response head (an origin's, as the proxy relays it) as HTTP/2 HEADERS, by Netty's
 * rules ({@code HttpConversionUtil.toHttp2Headers}) without its per-field copies: names lower-cased
 * (the common ones from a table, not by allocating two strings per field), values passed as they
 * are, connection-specific fields dropped. A head with a field that needs more than that ({@code
 * connection}, which names more fields to drop; {@code te}; {@code cookie}, which HTTP/2 splits) is
 * left to Netty. Pure; any thread.
 */
final class ResponseHeads {
  /** Fields HTTP/2 forbids or that only meant something to Netty's HTTP/1.1 conversion. */
  private static final Set<AsciiString> DROPPED =
      Set.of(
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.HOST,
          HttpHeaderNames.UPGRADE,
          ExtensionHeaderNames.STREAM_ID.text(),
          ExtensionHeaderNames.SCHEME.text(),
          ExtensionHeaderNames.PATH.text(),
          ExtensionHeaderNames.PROTOCOL.text());

  /**
   * Response field names as origins spell them, to their lower-case constants: as strings, and as
   * the {@code AsciiString}s Netty's HTTP/1.1 decoder makes of names (their hash ignores case).
   */
  private static final Map<String, AsciiString> KNOWN = known();

  private static final Map<AsciiString, AsciiString> KNOWN_ASCII = knownAscii();

  private ResponseHeads() {}

  /** False when Netty's conversion must do it: a field with rules beyond a rename. */
  static boolean convertible(HttpHeaders headers) {
    return !headers.contains(HttpHeaderNames.CONNECTION)
        && !headers.contains(HttpHeaderNames.TE)
        && !headers.contains(HttpHeaderNames.COOKIE);
  }

  /** {@code :status} and the head's fields, names lower-cased, hop-by-hop ones dropped. */
  static Http2Headers toHttp2(HttpResponse head) {
    HttpHeaders in = head.headers();
    Http2Headers out = new DefaultHttp2Headers(true, in.size() + 1);
    out.status(head.status().codeAsText());
    Iterator<Entry<CharSequence, CharSequence>> fields = in.iteratorCharSequence();
    while (fields.hasNext()) {
      Entry<CharSequence, CharSequence> field = fields.next();
      AsciiString name = lowerCase(field.getKey());
      if (!DROPPED.contains(name)) {
        out.add(name, field.getValue());
      }
    }
    return out;
  }

  private static AsciiString lowerCase(CharSequence name) {
    AsciiString known =
        name instanceof AsciiString ascii ? KNOWN_ASCII.get(ascii) : KNOWN.get(name.toString());
    return known != null ? known : AsciiString.of(name).toLowerCase();
  }

  private static Map<AsciiString, AsciiString> knownAscii() {
    Map<AsciiString, AsciiString> known = new HashMap<>();
    KNOWN.forEach((spelling, name) -> known.put(AsciiString.of(spelling), name));
    return Map.copyOf(known);
  }

  private static Map<String, AsciiString> known() {
    List<AsciiString> names =
        List.of(
            HttpHeaderNames.ACCEPT_RANGES,
            HttpHeaderNames.AGE,
            HttpHeaderNames.CACHE_CONTROL,
            HttpHeaderNames.CONTENT_ENCODING,
            HttpHeaderNames.CONTENT_LANGUAGE,
            HttpHeaderNames.CONTENT_LENGTH,
            HttpHeaderNames.CONTENT_RANGE,
            HttpHeaderNames.CONTENT_TYPE,
            HttpHeaderNames.DATE,
            HttpHeaderNames.ETAG,
            HttpHeaderNames.EXPIRES,
            HttpHeaderNames.LAST_MODIFIED,
            HttpHeaderNames.LOCATION,
            HttpHeaderNames.SERVER,
            HttpHeaderNames.SET_COOKIE,
            HttpHeaderNames.VARY);
    Map<String, AsciiString> known = new HashMap<>();
    for (AsciiString name : names) {
      known.put(name.toString(), name);
      known.put(capitalized(name.toString()), name);
    }
    known.put("ETag", HttpHeaderNames.ETAG);
    return Map.copyOf(known);
  }

  /** {@code content-type} as {@code Content-Type}. */
  private static String capitalized(String name) {
    StringBuilder b = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      b.append(i == 0 || name.charAt(i - 1) == '-' ? Character.toUpperCase(c) : c);
    }
    return b.toString();
  }
}
