package dev.tpp.proxy.http;

import dev.tpp.config.HttpLimits;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads a whole request head, which {@link StrictRequestDecoder} found and measured, in one pass
 * over a copy of its bytes: the request line ({@link RequestLine}), then each field line, checked
 * as it is read (RFC 9112 §5, RFC 9110 §5.5): a name of tchars straight before its colon, a value
 * of visible characters, spaces, tabs and obs-text with no other control, its surrounding spaces
 * and tabs dropped. An obsolete line folding joins the previous field's value with one space, as
 * Netty's decoder did (RFC 9112 §5.2). Then the fields are checked together ({@link
 * RequestHeadRules}), and the body's framing is chosen. Every fault throws {@link
 * RequestRejectedException}. One per connection, on its event loop.
 */
final class RequestHeadParser {
  private static final DefaultHttpHeadersFactory HEADERS =
      DefaultHttpHeadersFactory.headersFactory().withValidation(false); // checked here instead

  /** The copy of the head being read: one array per thread, for no head outlives its parse. */
  private static final FastThreadLocal<byte[]> SCRATCH =
      new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
          return new byte[2048];
        }
      };

  private static final boolean[] TCHAR = new boolean[256];

  /** Value bytes: visible, obs-text, SP and HTAB; not the other controls, nor DEL. */
  private static final boolean[] FIELD_BYTE = new boolean[256];

  static {
    for (int c = 0; c < 256; c++) {
      FIELD_BYTE[c] = c >= 0x20 && c != 0x7f || c == '\t';
      TCHAR[c] =
          c >= '0' && c <= '9'
              || c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }
  }

  /** The names most requests carry, in their usual case: a parsed name is one of them, uncopied. */
  private static final AsciiString[][] KNOWN_BY_LENGTH = knownNames();

  private static final int OTHER = 0;
  private static final int HOST = 1;
  private static final int CONTENT_LENGTH = 2;
  private static final int TRANSFER_ENCODING = 3;
  private static final int CONTENT_TYPE = 4;

  private final HttpLimits limits;

  // what the head just read said about its framing and routing
  private int hosts;
  private @Nullable String host;
  private int lengths;
  private @Nullable String length;
  private @Nullable String codings;
  private int types;
  private @Nullable String type;
  private @Nullable BodyDecoder body;

  RequestHeadParser(HttpLimits limits) {
    this.limits = limits;
  }

  /**
   * Reads the head in {@code [start, end)} of {@code in}: its request line starts at {@code start},
   * and it ends with its empty line's CRLF at {@code end}; every line ends with CRLF.
   */
  HttpRequest parse(ByteBuf in, int start, int end) {
    int n = end - start;
    byte[] b = SCRATCH.get();
    if (b.length < n) {
      b = new byte[Math.max(n, b.length * 2)];
      SCRATCH.set(b);
    }
    in.getBytes(start, b, 0, n);
    return parse(b, n);
  }

  /** The body {@link #parse} found the head to announce, or null for none. */
  @Nullable BodyDecoder body() {
    return body;
  }

  private HttpRequest parse(byte[] b, int n) {
    hosts = 0;
    host = null;
    lengths = 0;
    length = null;
    codings = null;
    types = 0;
    type = null;
    body = null;

    int lineEnd = lineEnd(b, 0);
    int methodEnd = RequestLine.methodEnd(b, 0, lineEnd);
    int targetEnd = RequestLine.targetEnd(b, methodEnd + 1, lineEnd);
    HttpVersion version = RequestLine.version(b, targetEnd + 1, lineEnd);
    HttpMethod method = RequestLine.method(b, 0, methodEnd);
    String target =
        new String(b, methodEnd + 1, targetEnd - methodEnd - 1, StandardCharsets.ISO_8859_1);

    HttpHeaders headers = HEADERS.newHeaders();
    int fields = fields(b, lineEnd + 2, n - 2, headers);

    long contentLength = RequestHeadRules.contentLength(lengths, length);
    RequestHeadRules.fieldCount(fields, limits);
    RequestHeadRules.host(hosts, host, version);
    String te = codings;
    if (te != null) {
      RequestHeadRules.transferEncoding(te, version, lengths > 0);
      if (!te.equals("chunked")) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      body = BodyDecoder.chunked(limits.maxHeaderSize());
    } else if (contentLength > 0) {
      body = BodyDecoder.fixed(contentLength);
    }
    if (!limits.allowAmbiguousContentType()) {
      RequestHeadRules.contentType(types, type);
    }
    return new DefaultHttpRequest(version, method, target, headers, false);
  }

  /**
   * Reads the field lines from {@code at} to {@code end} (the start of the empty line) into {@code
   * headers}; returns how many fields there were.
   */
  private int fields(byte[] b, int at, int end, HttpHeaders headers) {
    int fields = 0;
    AsciiString name = null;
    String value = null;
    int kind = OTHER;
    while (at < end) {
      int lineEnd = lineEnd(b, at);
      byte first = b[at];
      if (first == ' ' || first == '\t') {
        if (name == null || value == null || value.isEmpty()) {
          throw RequestRejectedException.badRequest(
              name == null
                  ? "a header line starts with whitespace"
                  : "obsolete line folding continues an empty value");
        }
        value = value + ' ' + value(b, at, lineEnd);
      } else {
        if (name != null && value != null) {
          add(headers, name, value, kind);
        }
        int colon = nameEnd(b, at, lineEnd);
        int len = colon - at;
        kind = kind(b, at, len);
        name = known(b, at, len);
        if (name == null) {
          name = new AsciiString(b, at, len, true);
        }
        value = value(b, colon + 1, lineEnd);
        fields++;
      }
      at = lineEnd + 2;
    }
    if (name != null && value != null) {
      add(headers, name, value, kind);
    }
    return fields;
  }

  private void add(HttpHeaders headers, AsciiString name, String value, int kind) {
    headers.add(name, value);
    switch (kind) {
      case HOST -> {
        if (hosts++ == 0) {
          host = value;
        }
      }
      case CONTENT_LENGTH -> {
        if (lengths++ == 0) {
          length = value;
        }
      }
      case TRANSFER_ENCODING -> codings = codings == null ? value : codings + ", " + value;
      case CONTENT_TYPE -> {
        if (types++ == 0) {
          type = value;
        }
      }
      default -> {}
    }
  }

  /**
   * The index of the CR that ends the line starting at {@code at} (the caller knows there is one).
   */
  private static int lineEnd(byte[] b, int at) {
    int i = at;
    while (b[i] != '\n') {
      i++;
    }
    return i - 1;
  }

  /** The index of the colon after the field name that starts at {@code at}. */
  private static int nameEnd(byte[] b, int at, int lineEnd) {
    int i = at;
    while (i < lineEnd && TCHAR[b[i] & 0xff]) {
      i++;
    }
    if (i < lineEnd && b[i] == ':' && i > at) {
      return i;
    }
    if (i == lineEnd) {
      throw RequestRejectedException.badRequest("a header line has no colon");
    }
    byte c = b[i];
    throw RequestRejectedException.badRequest(
        c == ':'
            ? "a header field has an empty name"
            : c == ' ' || c == '\t'
                ? "whitespace between a header field's name and its colon"
                : "invalid character " + RequestLine.hex(c) + " in a header field name");
  }

  /** The value in {@code [from, lineEnd)}, without the spaces and tabs around it. */
  private static String value(byte[] b, int from, int lineEnd) {
    int start = from;
    while (start < lineEnd && (b[start] == ' ' || b[start] == '\t')) {
      start++;
    }
    int end = start;
    for (int i = start; i < lineEnd; i++) {
      byte c = b[i];
      if (!FIELD_BYTE[c & 0xff]) {
        throw RequestRejectedException.badRequest(
            "invalid character " + RequestLine.hex(c) + " in a header field value");
      }
      if (c != ' ' && c != '\t') {
        end = i + 1;
      }
    }
    return end == start ? "" : new String(b, start, end - start, StandardCharsets.ISO_8859_1);
  }

  /** Which of the fields this parser looks at a name is, in any case. */
  private static int kind(byte[] b, int at, int len) {
    return switch (len) {
      case 4 -> lowerIs(b, at, "host") ? HOST : OTHER;
      case 12 -> lowerIs(b, at, "content-type") ? CONTENT_TYPE : OTHER;
      case 14 -> lowerIs(b, at, "content-length") ? CONTENT_LENGTH : OTHER;
      case 17 -> lowerIs(b, at, "transfer-encoding") ? TRANSFER_ENCODING : OTHER;
      default -> OTHER;
    };
  }

  /**
   * Whether the tchars at {@code at} spell {@code lower} in any case: OR-ing 0x20 maps only a
   * letter's two cases onto its lower case (and {@code -} onto itself) among tchars.
   */
  private static boolean lowerIs(byte[] b, int at, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      if ((b[at + i] | 0x20) != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static @Nullable AsciiString known(byte[] b, int at, int len) {
    if (len >= KNOWN_BY_LENGTH.length) {
      return null;
    }
    for (AsciiString name : KNOWN_BY_LENGTH[len]) {
      if (sameBytes(name, b, at)) {
        return name;
      }
    }
    return null;
  }

  private static boolean sameBytes(AsciiString name, byte[] b, int at) {
    byte[] a = name.array();
    int off = name.arrayOffset();
    for (int i = 0; i < name.length(); i++) {
      if (a[off + i] != b[at + i]) {
        return false;
      }
    }
    return true;
  }

  private static AsciiString[][] knownNames() {
    String[] names = {
      "Host",
      "User-Agent",
      "Accept",
      "Accept-Encoding",
      "Accept-Language",
      "Connection",
      "Content-Length",
      "Content-Type",
      "Cookie",
      "Referer",
      "Origin",
      "Authorization",
      "Cache-Control",
      "Pragma",
      "If-None-Match",
      "If-Modified-Since",
      "Upgrade-Insecure-Requests",
      "X-Forwarded-For",
      "X-Request-Id",
      "Transfer-Encoding",
      "Expect",
    };
    int max = 0;
    for (String name : names) {
      max = Math.max(max, name.length());
    }
    AsciiString[][] byLength = new AsciiString[max + 1][];
    for (int len = 0; len <= max; len++) {
      final int l = len;
      byLength[len] =
          Arrays.stream(names)
              .filter(name -> name.length() == l)
              .map(AsciiString::cached)
              .toArray(AsciiString[]::new);
    }
    return byLength;
  }
}
