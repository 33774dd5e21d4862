package dev.tpp.proxy.admin;

import dev.tpp.waf.engine.audit.JsonStrings;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * {@code /metrics}, {@code /healthz}, {@code /readyz} and {@code /config} on the admin port. Runs
 * on the admin loop ({@code tpp-admin}), never on a worker, so a scrape costs the data path
 * nothing.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final AdminState state;

  AdminHandler(AdminState state) {
    this.state = state;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = request.uri().split("\\?", 2)[0];
    FullHttpResponse response;
    if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
      response = text(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, "GET only\n", "text/plain");
    } else {
      response =
          switch (path) {
            case "/metrics" ->
                text(
                    ctx,
                    HttpResponseStatus.OK,
                    state.scrape(),
                    "text/plain; version=0.0.4; charset=utf-8");
            case "/healthz" -> text(ctx, HttpResponseStatus.OK, "ok\n", "text/plain");
            case "/readyz" ->
                state.draining()
                    ? text(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "draining\n", "text/plain")
                    : text(ctx, HttpResponseStatus.OK, "ready\n", "text/plain");
            case "/config" -> text(ctx, HttpResponseStatus.OK, configJson(), "application/json");
            default -> text(ctx, HttpResponseStatus.NOT_FOUND, "not found\n", "text/plain");
          };
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var f = ctx.writeAndFlush(response);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private String configJson() {
    String error = state.lastError();
    return "{\"hash\": \""
        + state.configHash()
        + "\", \"loadedAt\": \""
        + state.loadedAt()
        + "\", \"lastError\": "
        + (error == null ? "null" : "\"" + jsonEscape(error) + "\"")
        + "}\n";
  }

  static String jsonEscape(String s) {
    return JsonStrings.escape(s);
  }

  private static FullHttpResponse text(
      ChannelHandlerContext ctx, HttpResponseStatus status, String body, String type) {
    ByteBuf buf = ctx.alloc().buffer().writeBytes(body.getBytes(StandardCharsets.UTF_8));
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buf);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, buf.readableBytes());
    return response;
  }
}
