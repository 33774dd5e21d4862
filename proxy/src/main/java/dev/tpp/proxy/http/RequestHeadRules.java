package dev.tpp.proxy.http;

import dev.tpp.config.HttpLimits;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The checks on a parsed request head that Netty leaves to us (RFC 9112 §3.2, §6; RFC 9110 §7.2):
 * one valid {@code Host} (required in HTTP/1.1), {@code Transfer-Encoding} only as a single final
 * {@code chunked} and never beside {@code Content-Length} or in HTTP/1.0, at most {@code
 * maxHeaders} fields, and — unless {@code allowAmbiguousContentType} — one {@code Content-Type}
 * with at most one {@code boundary}, so the WAF and the origin cannot read the body differently.
 * Throws {@link RequestRejectedException}. Pure; called on the event loop.
 */
final class RequestHeadRules {
  private static final Pattern BOUNDARY = Pattern.compile("[;\\s]boundary\\s*=");

  private RequestHeadRules() {}

  static void check(HttpRequest request, HttpLimits limits) {
    HttpHeaders headers = request.headers();
    if (headers.size() > limits.maxHeaders()) {
      throw new RequestRejectedException(
          431, "more than " + limits.maxHeaders() + " header fields");
    }
    host(headers.getAll(HttpHeaderNames.HOST), request.protocolVersion());
    if (headers.contains(
        HttpHeaderNames.TRANSFER_ENCODING)) { // contains first: no list made for most requests
      transferEncoding(headers, request.protocolVersion());
    }
    if (!limits.allowAmbiguousContentType() && headers.contains(HttpHeaderNames.CONTENT_TYPE)) {
      contentType(headers.getAll(HttpHeaderNames.CONTENT_TYPE));
    }
  }

  private static void host(List<String> hosts, HttpVersion version) {
    if (hosts.size() > 1) {
      throw RequestRejectedException.badRequest("more than one Host header");
    }
    if (hosts.isEmpty()) {
      if (version.minorVersion() > 0) {
        throw RequestRejectedException.badRequest("HTTP/1.1 request without a Host header");
      }
      return;
    }
    if (!isValidHost(hosts.get(0))) {
      throw RequestRejectedException.badRequest(
          "invalid Host \"" + LogValues.escape(hosts.get(0)) + "\"");
    }
  }

  private static void transferEncoding(HttpHeaders headers, HttpVersion version) {
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      return;
    }
    if (version.minorVersion() == 0) {
      throw RequestRejectedException.badRequest("Transfer-Encoding in an HTTP/1.0 request");
    }
    if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      throw RequestRejectedException.badRequest("Content-Length and Transfer-Encoding together");
    }
    String all = String.join(", ", codings).toLowerCase(Locale.ROOT);
    List<String> tokens = List.of(all.split("\\s*,\\s*", -1));
    int chunked = tokens.indexOf("chunked");
    if (chunked == tokens.size() - 1 && chunked == 0) {
      return;
    }
    if (chunked < 0 || chunked != tokens.lastIndexOf("chunked") || chunked != tokens.size() - 1) {
      throw RequestRejectedException.badRequest(
          "Transfer-Encoding \"" + LogValues.escape(all) + "\" does not end with a single chunked");
    }
    throw new RequestRejectedException(
        501, "transfer coding \"" + LogValues.escape(all) + "\" is not supported");
  }

  private static void contentType(List<String> types) {
    if (types.size() > 1) {
      throw RequestRejectedException.badRequest("more than one Content-Type header");
    }
    if (types.size() == 1) {
      String type = types.get(0).toLowerCase(Locale.ROOT);
      if (type.stripLeading().startsWith("multipart/")
          && BOUNDARY.matcher(type).results().count() > 1) {
        throw RequestRejectedException.badRequest(
            "multipart Content-Type with more than one boundary");
      }
    }
  }

  /**
   * A {@code Host} value or absolute-form authority: a name of letters, digits, {@code - . _ ~}, or
   * a bracketed IPv6 literal, then an optional {@code :port}; no userinfo, path, spaces, controls
   * or empty name.
   */
  static boolean isValidHost(String host) {
    int i = 0;
    int n = host.length();
    if (n > 0 && host.charAt(0) == '[') {
      int close = host.indexOf(']');
      if (close < 2
          || !host.substring(1, close)
              .chars()
              .allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return false;
      }
      i = close + 1;
    } else {
      while (i < n && isNameChar(host.charAt(i))) {
        i++;
      }
      if (i == 0) {
        return false;
      }
    }
    if (i == n) {
      return true;
    }
    return host.charAt(i) == ':' && n - i - 1 <= 5 && digitsOnly(host, i + 1);
  }

  private static boolean digitsOnly(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
