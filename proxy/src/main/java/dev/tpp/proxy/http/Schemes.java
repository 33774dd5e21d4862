package dev.tpp.proxy.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/** Whether a client connection came in over TLS: set once by the channel initializer, read per request. */
public final class Schemes {
  public static final AttributeKey<Boolean> HTTPS = AttributeKey.valueOf("tpp.https");

  private Schemes() {}

  public static boolean isHttps(Channel channel) {
    return Boolean.TRUE.equals(channel.attr(HTTPS).get());
  }
}
