package dev.tpp.proxy.http2;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import java.util.function.Consumer;

/**
 * On a TLS listener with {@code http2: true}: once the handshake has chosen the protocol by ALPN,
 * {@code h2} turns the connection into HTTP/2; {@code http/1.1} (or no ALPN) keeps the HTTP/1.1
 * handlers already in place. A failed handshake was counted and logged by the TLS observer: here it
 * only closes, without Netty's stack-trace warning.
 */
public final class Http2Negotiation extends ApplicationProtocolNegotiationHandler {
  private final Consumer<ChannelHandlerContext> toHttp2;

  public Http2Negotiation(Consumer<ChannelHandlerContext> toHttp2) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.toHttp2 = toHttp2;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) {
      toHttp2.accept(ctx);
    }
  }

  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
