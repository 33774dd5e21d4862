package dev.tpp.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Checks a raw request line against RFC 9112 §3 before Netty's lenient split sees it: {@code method
 * SP target SP HTTP/1.x CRLF} with single spaces (no tabs), an upper-case method of {@code A-Z},
 * {@code _} and {@code -} (like nginx; methods are case-sensitive), a target of visible ASCII only
 * (no NUL, controls, spaces or bytes over 0x7E), and the version spelt exactly. A major version of
 * 2 or more is a 505, any other fault (HTTP/0.x too) a 400. Pure; reads the buffer without moving
 * its indexes.
 */
final class RequestLine {
  private static final int MAX_METHOD = 32;

  private RequestLine() {}

  /**
   * Checks the line in {@code [start, lf)} of {@code buf}, where {@code lf} indexes its line feed.
   */
  static void check(ByteBuf buf, int start, int lf) {
    if (lf == start || buf.getByte(lf - 1) != '\r') {
      throw RequestRejectedException.badRequest("request line does not end with CRLF");
    }
    int end = lf - 1;
    int methodEnd = method(buf, start, end);
    int targetEnd = target(buf, methodEnd + 1, end);
    version(buf, targetEnd + 1, end);
  }

  private static int method(ByteBuf buf, int start, int end) {
    int i = start;
    while (i < end && i - start <= MAX_METHOD) {
      byte c = buf.getByte(i);
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
    if (i == start || i >= end || buf.getByte(i) != ' ') {
      throw RequestRejectedException.badRequest(
          "request line is not: method SP request-target SP HTTP-version");
    }
    return i;
  }

  private static int target(ByteBuf buf, int start, int end) {
    int i = start;
    for (; i < end; i++) {
      byte c = buf.getByte(i);
      if (c == ' ') {
        break;
      }
      if (c <= 0x20 || c >= 0x7f) {
        throw RequestRejectedException.badRequest(
            "invalid character " + hex(c) + " in the request-target");
      }
    }
    if (i == start || i >= end) {
      throw RequestRejectedException.badRequest(
          "request line is not: method SP request-target SP HTTP-version");
    }
    return i;
  }

  private static void version(ByteBuf buf, int start, int end) {
    boolean shaped =
        end - start == 8
            && buf.getByte(start) == 'H'
            && buf.getByte(start + 1) == 'T'
            && buf.getByte(start + 2) == 'T'
            && buf.getByte(start + 3) == 'P'
            && buf.getByte(start + 4) == '/'
            && isDigit(buf.getByte(start + 5))
            && buf.getByte(start + 6) == '.'
            && isDigit(buf.getByte(start + 7));
    if (!shaped) {
      throw RequestRejectedException.badRequest("HTTP-version is not HTTP/DIGIT.DIGIT");
    }
    if (buf.getByte(start + 5) == '0') {
      throw RequestRejectedException.badRequest("HTTP/0.x is not served");
    }
    if (buf.getByte(start + 5) != '1') {
      throw new RequestRejectedException(
          505,
          "HTTP/"
              + (char) buf.getByte(start + 5)
              + "."
              + (char) buf.getByte(start + 7)
              + " is not served on an HTTP/1 connection");
    }
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  static String hex(byte c) {
    return String.format("0x%02x", c & 0xff);
  }
}
