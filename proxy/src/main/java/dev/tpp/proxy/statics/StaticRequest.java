package dev.tpp.proxy.statics;

import dev.tpp.config.RouteConfig;
import dev.tpp.proxy.http.ErrorResponses;
import dev.tpp.proxy.http.HttpExchange;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a files or thumbnail pool task needs from a GET or HEAD, copied off the request on the event
 * loop: the decoded path below the root and the conditional headers. Immutable, so it can cross to
 * a pool thread; the request itself (and its buffers) never does. The static methods are the
 * loop-side edges both routes share.
 */
public record StaticRequest(
    String relative,
    boolean head,
    @Nullable String ifModifiedSince,
    @Nullable String range,
    @Nullable String ifRange) {
  private static final Logger log = LoggerFactory.getLogger(StaticRequest.class);

  /**
   * Event loop. Drops the request body, checks the method (405 with Allow) and the path ({@link
   * SafePath#relative}); returns null when it has already answered.
   */
  public static @Nullable StaticRequest accept(HttpExchange exchange) {
    exchange.body().discard();
    HttpMethod method = exchange.request().method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
      FullHttpResponse response =
          ErrorResponses.of(
              exchange.ctx().alloc(),
              HttpResponseStatus.METHOD_NOT_ALLOWED,
              method + " not allowed");
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
      exchange.send(response);
      return null;
    }
    try {
      String relative = SafePath.relative(exchange.path(), routed(exchange).path());
      HttpHeaders headers = exchange.request().headers();
      return new StaticRequest(
          relative,
          method.equals(HttpMethod.HEAD),
          headers.get(HttpHeaderNames.IF_MODIFIED_SINCE),
          headers.get(HttpHeaderNames.RANGE),
          headers.get(HttpHeaderNames.IF_RANGE));
    } catch (HttpStatusException e) {
      fail(exchange, e);
      return null;
    }
  }

  /**
   * Event loop, when a pool task's result arrives: false when there is no one left to answer (the
   * client closed while the task ran, and the dispatcher has already recorded it) or the exchange
   * was answered otherwise.
   */
  public static boolean stillWanted(HttpExchange exchange) {
    return !exchange.isFinished() && exchange.ctx().channel().isActive();
  }

  /**
   * Event loop. Answers a pool task's failure: its {@link HttpStatusException} status, 404 for a
   * file gone missing, 403 when the OS refuses, 503 for a full pool (with Retry-After), 500
   * (logged) for anything else.
   */
  /** A static route's exchange: the dispatcher gives a route handler only routed exchanges. */
  private static RouteConfig routed(HttpExchange exchange) {
    return Objects.requireNonNull(exchange.route(), "a route handler's exchange has a route");
  }

  public static void fail(HttpExchange exchange, Throwable failure) {
    if (failure instanceof HttpStatusException e) {
      exchange.sendError(HttpResponseStatus.valueOf(e.status()), e.getMessage());
    } else if (failure instanceof NoSuchFileException || failure instanceof FileNotFoundException) {
      exchange.sendError(HttpResponseStatus.NOT_FOUND, "not found");
    } else if (failure instanceof AccessDeniedException) {
      exchange.sendError(HttpResponseStatus.FORBIDDEN, "permission denied");
    } else {
      HttpResponseStatus status = ErrorResponses.statusOf(failure);
      if (status.code() == 500) {
        log.warn(
            "event=static_route_failed id={} path={} error=\"{}\"",
            exchange.requestId(),
            exchange.path(),
            failure.toString());
      }
      exchange.sendError(status, status.code() == 500 ? "internal error" : failure.getMessage());
    }
  }
}
