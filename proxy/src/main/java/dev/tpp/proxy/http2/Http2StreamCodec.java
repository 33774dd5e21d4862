package dev.tpp.proxy.http2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.Map.Entry;
import org.jspecify.annotations.Nullable;

/**
 * A stream's frames as the HTTP/1.1 objects the dispatcher, the WAF and the origin expect, and the
 * responses back as frames (Netty's {@link Http2StreamFrameToHttpObjectCodec}). A request's HEADERS
 * become the head directly, in the shape an HTTP/1.1 decoder gives: protocol version {@code
 * HTTP/2.0} (the WAF's {@code REQUEST_PROTOCOL}), {@code Host} from {@code :authority}, cookies
 * joined, and with END_STREAM an empty last content as a second message. Netty's own conversion
 * (kept for trailers, bodies and responses) made a full request with a pooled empty buffer, added
 * {@code x-http2-*} headers that had to be removed again, and copied the headers twice per stream.
 * A response head, or a whole response without trailers (a {@code return} route's, an error page),
 * becomes HEADERS (and one DATA) through {@link ResponseHeads}, not through Netty's field-by-field
 * conversion. The rules are Netty's ({@code HttpConversionUtil}): a {@code host} field that differs
 * from {@code :authority} is a stream error, a client's {@code x-http2-*} fields are dropped, a
 * request with a body and no {@code content-length} is chunked. Stateless: one instance serves
 * every stream of every connection; called on each stream's event loop.
 */
@Sharable
final class Http2StreamCodec extends Http2StreamFrameToHttpObjectCodec {
  static final HttpVersion HTTP_2 = HttpVersion.valueOf("HTTP/2.0");
  static final Http2StreamCodec INSTANCE = new Http2StreamCodec();

  private static final AsciiString EXTENSION_PREFIX = AsciiString.cached("x-http2-");

  private Http2StreamCodec() {
    super(true);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, Http2StreamFrame frame, List<Object> out)
      throws Exception {
    if (frame instanceof Http2HeadersFrame headers && headers.headers().method() != null) {
      out.add(request(headers));
      if (headers.isEndStream()) {
        out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      }
    } else {
      super.decode(ctx, frame, out); // trailers, DATA
    }
  }

  /**
   * A whole response without trailers (a {@code return} route's, an error page) goes out as the
   * frames Netty's conversion makes, HEADERS then one DATA ending the stream, but written here one
   * by one: the encoder would tie two frames to the caller's promise with a promise combiner and a
   * promise per frame, the largest allocation of a {@code /hello} stream after its channel. The
   * DATA frame takes over the response's reference to its body.
   */
  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (!(msg instanceof FullHttpResponse full)
        || !full.trailingHeaders().isEmpty()
        || !fastHead(full)) {
      super.write(ctx, msg, promise);
      return;
    }
    Http2Headers headers;
    try {
      headers = ResponseHeads.toHttp2(full);
    } catch (RuntimeException e) {
      full.release();
      promise.setFailure(e);
      return;
    }
    ByteBuf body = full.content();
    if (!body.isReadable()) {
      full.release();
      ctx.write(new DefaultHttp2HeadersFrame(headers, true), promise);
      return;
    }
    // the HEADERS' own promise has no listener: if it fails, the stream is gone and so is the DATA
    ctx.write(new DefaultHttp2HeadersFrame(headers, false), ctx.newPromise());
    ctx.write(new DefaultHttp2DataFrame(body, true), promise);
  }

  @Override
  protected void encode(ChannelHandlerContext ctx, HttpObject msg, List<Object> out)
      throws Exception {
    if (msg instanceof HttpResponse head && !(msg instanceof HttpContent) && fastHead(head)) {
      out.add(new DefaultHttp2HeadersFrame(ResponseHeads.toHttp2(head), false));
    } else {
      super.encode(ctx, msg, out);
    }
  }

  /** A final response head whose fields only need {@link ResponseHeads}' renaming. */
  private static boolean fastHead(HttpResponse head) {
    return head.status().codeClass() != HttpStatusClass.INFORMATIONAL
        && ResponseHeads.convertible(head.headers());
  }

  private static HttpRequest request(Http2HeadersFrame frame) throws Http2Exception {
    Http2Headers h2 = frame.headers();
    Http2FrameStream stream = frame.stream();
    int id = stream == null ? 0 : stream.id();
    CharSequence method = h2.method();
    // CONNECT names its target in :authority (RFC 9113 §8.5), as in HTTP/1.1's request line
    CharSequence path =
        HttpMethod.CONNECT.asciiName().contentEqualsIgnoreCase(method) ? h2.authority() : h2.path();
    if (path == null) {
      throw Http2Exception.streamError(id, Http2Error.PROTOCOL_ERROR, "no :path");
    }
    HttpRequest request;
    try {
      request =
          new DefaultHttpRequest(HTTP_2, HttpMethod.valueOf(method.toString()), path.toString());
      copyHeaders(id, h2, request.headers());
    } catch (Http2Exception e) {
      throw e;
    } catch (RuntimeException e) {
      throw Http2Exception.streamError(
          id, Http2Error.PROTOCOL_ERROR, e, "HTTP/2 to HTTP/1.x headers conversion error");
    }
    if (!frame.isEndStream() && !HttpUtil.isContentLengthSet(request)) {
      request.headers().add(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return request;
  }

  /** The regular fields (validated as HTTP/1.1 fields on the way), {@code :authority} as Host. */
  private static void copyHeaders(int id, Http2Headers h2, HttpHeaders out) throws Http2Exception {
    StringBuilder cookies = null;
    CharSequence host = null;
    for (Entry<CharSequence, CharSequence> field : h2) {
      CharSequence name = field.getKey();
      CharSequence value = field.getValue();
      if (name.length() > 0 && name.charAt(0) == ':') {
        if (AsciiString.contentEquals(Http2Headers.PseudoHeaderName.AUTHORITY.value(), name)) {
          host = host(id, host, value, out);
        }
      } else if (AsciiString.contentEquals(HttpHeaderNames.HOST, name)) {
        host = host(id, host, value, out);
      } else if (AsciiString.contentEquals(HttpHeaderNames.COOKIE, name)) {
        if (cookies == null) {
          cookies = new StringBuilder();
        } else if (cookies.length() > 0) {
          cookies.append("; ");
        }
        cookies.append(value);
      } else if (!isExtension(name)) {
        out.add(name, value);
      }
    }
    if (cookies != null) {
      out.add(HttpHeaderNames.COOKIE, cookies.toString());
    }
    out.remove(HttpHeaderNames.TRANSFER_ENCODING);
    out.remove(HttpHeaderNames.TRAILER);
  }

  /**
   * One Host: {@code :authority}, or a {@code host} field that agrees with it (RFC 9113 §8.3.1).
   */
  private static CharSequence host(
      int id, @Nullable CharSequence seen, CharSequence value, HttpHeaders out)
      throws Http2Exception {
    if (seen == null) {
      out.add(HttpHeaderNames.HOST, value);
      return value;
    }
    if (!AsciiString.contentEqualsIgnoreCase(seen, value)) {
      throw Http2Exception.streamError(
          id, Http2Error.PROTOCOL_ERROR, "Conflicting ':authority' and 'host' headers found");
    }
    return seen;
  }

  /** Netty's own conversion headers: a client may not send them on to an origin. */
  private static boolean isExtension(CharSequence name) {
    if (!AsciiString.regionMatches(
        name, false, 0, EXTENSION_PREFIX, 0, EXTENSION_PREFIX.length())) {
      return false;
    }
    for (ExtensionHeaderNames extension : ExtensionHeaderNames.values()) {
      if (AsciiString.contentEquals(extension.text(), name)) {
        return true;
      }
    }
    return false;
  }
}
