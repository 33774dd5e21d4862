package dev.tpp.proxy.http;

import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Sees a streamed response before the client does (the WAF's response phases): {@link
 * HttpExchange#writeHead}, {@link HttpExchange#write} and {@link HttpExchange#writeLast} go through
 * it once installed with {@link HttpExchange#interceptResponse}. It owns the objects it is given
 * (releases or passes them on) and lets them out with the exchange's {@code pass*} methods. Called
 * on the exchange's loop; the futures it returns drive the route's backpressure (a pending one
 * stops the route reading).
 */
public interface ResponseInterceptor {
  ChannelFuture head(HttpResponse head);

  ChannelFuture content(HttpContent content);

  ChannelFuture last(LastHttpContent last);
}
