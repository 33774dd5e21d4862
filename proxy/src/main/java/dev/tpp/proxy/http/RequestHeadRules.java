package dev.tpp.proxy.http;

import dev.tpp.config.HttpLimits;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The checks on a request head's fields (RFC 9112 §3.2, §6; RFC 9110 §7.2, §8.6), made by {@link
 * RequestHeadParser} once it has read them all: one valid {@code Host} (required in HTTP/1.1), at
 * most one {@code Content-Length} of digits only, {@code Transfer-Encoding} only as a single final
 * {@code chunked} and never beside {@code Content-Length} or in HTTP/1.0, at most {@code
 * maxHeaders} fields, and — unless {@code allowAmbiguousContentType} — one {@code Content-Type}
 * with at most one {@code boundary}, so the WAF and the origin cannot read the body differently.
 * Throws {@link RequestRejectedException}. Pure; called on the event loop.
 */
final class RequestHeadRules {
  private static final Pattern BOUNDARY = Pattern.compile("[;\\s]boundary\\s*=");
  private static final int MAX_LENGTH_DIGITS = 18; // < 10^18 < 2^63: no overflow in a long

  private RequestHeadRules() {}

  static void fieldCount(int fields, HttpLimits limits) {
    if (fields > limits.maxHeaders()) {
      throw new RequestRejectedException(
          431, "more than " + limits.maxHeaders() + " header fields");
    }
  }

  /**
   * The body's length from the {@code count} {@code Content-Length} fields, the first of which is
   * {@code value}: -1 when there is none.
   */
  static long contentLength(int count, @Nullable String value) {
    if (count == 0 || value == null) {
      return -1;
    }
    if (count > 1 || value.indexOf(',') >= 0) {
      throw RequestRejectedException.badRequest("more than one Content-Length value");
    }
    int n = value.length();
    if (n == 0 || n > MAX_LENGTH_DIGITS) {
      throw notANumber(value);
    }
    long length = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw notANumber(value);
      }
      length = length * 10 + (c - '0');
    }
    return length;
  }

  private static RequestRejectedException notANumber(String value) {
    return RequestRejectedException.badRequest(
        "Content-Length \""
            + LogValues.escape(value)
            + "\" is not a number of at most "
            + MAX_LENGTH_DIGITS
            + " digits");
  }

  /** {@code count} {@code Host} fields, the first of which is {@code host}. */
  static void host(int count, @Nullable String host, HttpVersion version) {
    if (count > 1) {
      throw RequestRejectedException.badRequest("more than one Host header");
    }
    if (count == 0 || host == null) {
      if (version.minorVersion() > 0) {
        throw RequestRejectedException.badRequest("HTTP/1.1 request without a Host header");
      }
      return;
    }
    if (!isValidHost(host)) {
      throw RequestRejectedException.badRequest("invalid Host \"" + LogValues.escape(host) + "\"");
    }
  }

  /**
   * The {@code Transfer-Encoding} fields' values, joined with {@code ", "}: passes only a single
   * {@code chunked} (in any case).
   */
  static void transferEncoding(String codings, HttpVersion version, boolean contentLength) {
    if (version.minorVersion() == 0) {
      throw RequestRejectedException.badRequest("Transfer-Encoding in an HTTP/1.0 request");
    }
    if (contentLength) {
      throw RequestRejectedException.badRequest("Content-Length and Transfer-Encoding together");
    }
    String all = codings.toLowerCase(Locale.ROOT);
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

  /** {@code count} {@code Content-Type} fields, the first of which is {@code type}. */
  static void contentType(int count, @Nullable String type) {
    if (count > 1) {
      throw RequestRejectedException.badRequest("more than one Content-Type header");
    }
    if (count == 1 && type != null) {
      String lower = type.toLowerCase(Locale.ROOT);
      if (lower.stripLeading().startsWith("multipart/")
          && BOUNDARY.matcher(lower).results().count() > 1) {
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
