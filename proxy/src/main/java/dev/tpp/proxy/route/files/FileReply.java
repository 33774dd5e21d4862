package dev.tpp.proxy.route.files;

import dev.tpp.proxy.http.ErrorResponses;
import dev.tpp.proxy.statics.LastModified;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.channels.FileChannel;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link FileLookup} found, handed from the pool to the event loop: the status (200, 206,
 * 304 or 416), the file's size, time and type and, only when a body is to be sent, the open {@code
 * file}. Ownership of that channel moves with the record: the loop must close it (via {@link
 * #closeFile}, or by handing it to a FileRegion that the transport releases), on every path,
 * including a client that is already gone.
 */
public record FileReply(
    int status,
    @Nullable FileChannel file,
    long size,
    long lastModified,
    String contentType,
    @Nullable ByteRange range) {

  /** Where the body starts in the file. */
  public long bodyStart() {
    return range == null ? 0 : range.first();
  }

  /** How many bytes the body has (the whole file, or the range). */
  public long bodyLength() {
    return range == null ? size : range.length();
  }

  /**
   * The head of a 200 or 206 (also for HEAD): type, length, Last-Modified, Accept-Ranges,
   * Content-Range.
   */
  public HttpResponse head() {
    HttpResponse head =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    HttpHeaders headers = head.headers();
    headers
        .set(HttpHeaderNames.CONTENT_TYPE, contentType)
        .set(HttpHeaderNames.CONTENT_LENGTH, bodyLength())
        .set(HttpHeaderNames.LAST_MODIFIED, LastModified.format(lastModified))
        .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
    if (range != null) {
      headers.set(HttpHeaderNames.CONTENT_RANGE, range.contentRange(size));
    }
    return head;
  }

  /**
   * The 416 for a range past the end: the error body plus {@code Content-Range: bytes *}{@code
   * /size}.
   */
  public FullHttpResponse unsatisfiable(ByteBufAllocator alloc) {
    FullHttpResponse response =
        ErrorResponses.of(
            alloc, HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "range outside 0-" + size);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_RANGE, "bytes */" + size)
        .set(HttpHeaderNames.ACCEPT_RANGES, HttpHeaderValues.BYTES);
    return response;
  }

  /** Closes the file if one is held; safe to call more than once. Called on the loop. */
  public void closeFile() {
    if (file != null) {
      try {
        file.close();
      } catch (IOException ignored) {
        // a read-only descriptor: nothing was written that close could lose
      }
    }
  }
}
