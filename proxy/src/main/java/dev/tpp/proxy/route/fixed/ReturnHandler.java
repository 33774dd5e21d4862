package dev.tpp.proxy.route.fixed;

import dev.tpp.config.RouteAction;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.route.RouteHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * Answers every request with a fixed status and body (nginx {@code return}). Pure event-loop work:
 * the body is encoded once, and each response shares it read-only.
 */
public final class ReturnHandler implements RouteHandler {
  private final HttpResponseStatus status;
  private final ByteBuf body;

  public ReturnHandler(RouteAction.Return config) {
    this.status = HttpResponseStatus.valueOf(config.status());
    byte[] bytes =
        config.body() == null ? new byte[0] : config.body().getBytes(StandardCharsets.UTF_8);
    this.body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes).asReadOnly());
  }

  @Override
  public void handle(HttpExchange exchange) {
    exchange.body().discard();
    boolean head = exchange.request().method().equals(HttpMethod.HEAD);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1, status, head ? Unpooled.EMPTY_BUFFER : body.duplicate());
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    exchange.send(response);
  }
}
