package dev.tpp.proxy.statics;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Date;
import org.jspecify.annotations.Nullable;

/**
 * Last-Modified and If-Modified-Since, at the one-second resolution HTTP dates have. Pure; any
 * thread.
 */
public final class LastModified {
  private LastModified() {}

  /**
   * The RFC 1123 date for a modification time in epoch milliseconds, e.g. {@code Sun, 06 Nov 1994
   * 08:49:37 GMT}.
   */
  public static String format(long millis) {
    return DateFormatter.format(new Date(millis));
  }

  /**
   * True when {@code ifModifiedSince} is a valid HTTP date at or after the file's time (so: 304).
   */
  public static boolean notModified(@Nullable String ifModifiedSince, long millis) {
    if (ifModifiedSince == null) {
      return false;
    }
    Date since = DateFormatter.parseHttpDate(ifModifiedSince);
    return since != null && millis / 1000 <= since.getTime() / 1000;
  }

  /** A bodiless 304 carrying the Last-Modified the client already has. */
  public static FullHttpResponse notModifiedResponse(long millis) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED);
    response.headers().set(HttpHeaderNames.LAST_MODIFIED, format(millis));
    return response;
  }

  /**
   * True when an If-Range date (absent means yes) still names this version, so a Range may be
   * honoured.
   */
  public static boolean rangeStillValid(@Nullable String ifRange, long millis) {
    return ifRange == null || ifRange.equals(format(millis));
  }
}
