package dev.tpp.proxy.route.thumbnail;

import dev.tpp.config.RouteAction;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.route.RouteHandler;
import dev.tpp.proxy.statics.HttpStatusException;
import dev.tpp.proxy.statics.LastModified;
import dev.tpp.proxy.statics.SafePath;
import dev.tpp.proxy.statics.StaticRequest;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code thumbnail} route (nginx {@code image_filter resize}): GET or HEAD of an image under
 * the root answers a JPEG that fits width x height, aspect ratio kept, never enlarged; undecodable
 * sources get 415.
 *
 * <p>{@link #handle} runs on the exchange's event loop and only checks the method and path. The
 * whole job — realpath and root check, stat, decode, scale and encode ({@link ThumbnailRenderer}) —
 * is one task in the route's {@link OffloadPool}; it returns a {@code byte[]} that the loop wraps
 * (no copy) into the response it sends. A HEAD renders too, so its Content-Length is the real one.
 */
public final class ThumbnailHandler implements RouteHandler {
  private static final String CACHE_CONTROL = "max-age=3600";
  private final SafePath paths;
  private final ThumbnailRenderer renderer;
  private final OffloadPool pool;

  /**
   * {@code pool} must be the pool named by {@code config.pool()}; it is owned (and drained) by the
   * server.
   */
  public ThumbnailHandler(RouteAction.Thumbnail config, OffloadPool pool) {
    this.paths = new SafePath(config.root(), null);
    this.renderer = new ThumbnailRenderer(config.width(), config.height());
    this.pool = pool;
  }

  /**
   * A pool task's answer: the encoded thumbnail, or null for 304; the source's modification time.
   */
  private record Rendered(byte @Nullable [] jpeg, long lastModified) {}

  @Override
  public void handle(HttpExchange exchange) {
    StaticRequest request = StaticRequest.accept(exchange);
    if (request == null) {
      return;
    }
    pool.submit(
        exchange.loop(),
        () -> render(request),
        (rendered, failure) -> {
          if (!StaticRequest.stillWanted(exchange)) {
            return; // the client left while we rendered: nothing to release, the bytes are plain
            // heap
          } else if (failure != null) {
            StaticRequest.fail(exchange, failure);
          } else {
            exchange.send(
                response(
                    Objects.requireNonNull(
                        rendered, "the pool gives a result when there is no failure"),
                    request.head()));
          }
        });
  }

  /** Pool thread: every filesystem call and all the image work. */
  private Rendered render(StaticRequest request) throws IOException, HttpStatusException {
    Path image = paths.locate(request.relative());
    long modified = Files.getLastModifiedTime(image).toMillis();
    if (LastModified.notModified(request.ifModifiedSince(), modified)) {
      return new Rendered(null, modified);
    }
    return new Rendered(renderer.render(image), modified);
  }

  private static FullHttpResponse response(Rendered rendered, boolean head) {
    FullHttpResponse response;
    if (rendered.jpeg() == null) {
      response = LastModified.notModifiedResponse(rendered.lastModified());
    } else {
      response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.OK,
              head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(rendered.jpeg()));
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "image/jpeg")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, rendered.jpeg().length)
          .set(HttpHeaderNames.LAST_MODIFIED, LastModified.format(rendered.lastModified()));
    }
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, CACHE_CONTROL);
    return response;
  }
}
