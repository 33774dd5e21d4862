package dev.tpp.proxy.http;

import io.netty.channel.Channel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.AttributeKey;

/**
 * Whether a client connection came in over TLS: set once by the channel initializer, read per
 * request.
 */
public final class Schemes {
  public static final AttributeKey<Boolean> HTTPS = AttributeKey.valueOf("tpp.https");

  private Schemes() {}

  /** True for a TLS connection, and for an HTTP/2 stream of one. */
  public static boolean isHttps(Channel channel) {
    Channel connection = channel.parent() instanceof SocketChannel ? channel.parent() : channel;
    return Boolean.TRUE.equals(connection.attr(HTTPS).get());
  }
}
