package dev.tpp.proxy.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Reads a raw request line by RFC 9112 §3: {@code method SP target SP HTTP/1.x} with single spaces
 * (no tabs), an upper-case method of {@code A-Z}, {@code _} and {@code -} (like nginx; methods are
 * case-sensitive), a target of visible ASCII only (no NUL, controls, spaces or bytes over 0x7E),
 * and the version spelt exactly. A major version of 2 or more is a 505, any other fault (HTTP/0.x
 * too) a 400. Pure: works on {@link RequestHeadParser}'s copy of the head.
 */
final class RequestLine {
  private static final int MAX_METHOD = 32;

  private RequestLine() {}

  /**
   * The end of the method in the line {@code [start, end)} of {@code b} (its CRLF excluded): the
   * index of the space after it.
   */
  static int methodEnd(byte[] b, int start, int end) {
    int i = start;
    while (i < end && i - start <= MAX_METHOD) {
      byte c = b[i];
      if (c == ' ') {
        break;
      }
      if (!(c >= 'A' && c <= 'Z') && c != '_' && c != '-') {
        throw RequestRejectedException.badRequest(
            "invalid character "
                + hex(c)
                + " in the method"
                + (c >= 'a' && c <= 'z' ? " (methods are case-sensitive)" : ""));
      }
      i++;
    }
    if (i == start || i >= end || b[i] != ' ') {
      throw notThreeParts();
    }
    return i;
  }

  /**
   * The end of the request-target that starts at {@code start}: the index of the space after it.
   */
  static int targetEnd(byte[] b, int start, int end) {
    int i = start;
    for (; i < end; i++) {
      byte c = b[i];
      if (c == ' ') {
        break;
      }
      if (c <= 0x20 || c >= 0x7f) {
        throw RequestRejectedException.badRequest(
            "invalid character " + hex(c) + " in the request-target");
      }
    }
    if (i == start || i >= end) {
      throw notThreeParts();
    }
    return i;
  }

  /** The version in {@code [start, end)}, the rest of the line. */
  static HttpVersion version(byte[] b, int start, int end) {
    boolean shaped =
        end - start == 8
            && b[start] == 'H'
            && b[start + 1] == 'T'
            && b[start + 2] == 'T'
            && b[start + 3] == 'P'
            && b[start + 4] == '/'
            && isDigit(b[start + 5])
            && b[start + 6] == '.'
            && isDigit(b[start + 7]);
    if (!shaped) {
      throw RequestRejectedException.badRequest("HTTP-version is not HTTP/DIGIT.DIGIT");
    }
    if (b[start + 5] == '0') {
      throw RequestRejectedException.badRequest("HTTP/0.x is not served");
    }
    if (b[start + 5] != '1') {
      throw new RequestRejectedException(
          505,
          "HTTP/"
              + (char) b[start + 5]
              + "."
              + (char) b[start + 7]
              + " is not served on an HTTP/1 connection");
    }
    return switch (b[start + 7]) {
      case '1' -> HttpVersion.HTTP_1_1;
      case '0' -> HttpVersion.HTTP_1_0;
      default -> HttpVersion.valueOf(new String(b, start, 8, StandardCharsets.US_ASCII));
    };
  }

  /** The method in {@code [start, end)}, already checked: Netty's constant for the usual ones. */
  static HttpMethod method(byte[] b, int start, int end) {
    int n = end - start;
    @Nullable HttpMethod known =
        switch (n) {
          case 3 ->
              is(b, start, "GET") ? HttpMethod.GET : is(b, start, "PUT") ? HttpMethod.PUT : null;
          case 4 ->
              is(b, start, "POST")
                  ? HttpMethod.POST
                  : is(b, start, "HEAD") ? HttpMethod.HEAD : null;
          case 5 ->
              is(b, start, "PATCH")
                  ? HttpMethod.PATCH
                  : is(b, start, "TRACE") ? HttpMethod.TRACE : null;
          case 6 -> is(b, start, "DELETE") ? HttpMethod.DELETE : null;
          case 7 ->
              is(b, start, "OPTIONS")
                  ? HttpMethod.OPTIONS
                  : is(b, start, "CONNECT") ? HttpMethod.CONNECT : null;
          default -> null;
        };
    return known != null
        ? known
        : HttpMethod.valueOf(new String(b, start, n, StandardCharsets.US_ASCII));
  }

  private static boolean is(byte[] b, int start, String name) {
    for (int i = 0; i < name.length(); i++) {
      if (b[start + i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static RequestRejectedException notThreeParts() {
    return RequestRejectedException.badRequest(
        "request line is not: method SP request-target SP HTTP-version");
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  static String hex(byte c) {
    return String.format("0x%02x", c & 0xff);
  }
}
