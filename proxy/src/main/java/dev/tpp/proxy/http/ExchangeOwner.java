package dev.tpp.proxy.http;

import io.netty.handler.codec.http.HttpResponse;

/**
 * The connection-side half of an exchange (the dispatcher): told when the response starts, ends or
 * fails.
 */
public interface ExchangeOwner {
  /**
   * True when the connection's {@link Http1ResponseEncoder} takes bytes a route framed ({@link
   * HttpExchange#takesHttp1Bytes}); the owner knows it once per connection.
   */
  boolean takesHttp1Bytes();

  /**
   * True when the client's connection came in over TLS ({@link Schemes#isHttps}); the owner looks
   * it up once per connection.
   */
  boolean isHttps();

  /**
   * The client's IP address as {@code X-Forwarded-For} names it ({@link HttpExchange#ipText}); the
   * owner works it out once per connection.
   */
  String clientIp();

  /**
   * Adds the connection headers (keepalive or close) before the head goes out; records the status.
   * For a head the route encodes itself ({@link HttpExchange#passHead(Http1Head)}), {@code head} is
   * a scratch head whose {@code Connection} header is copied into the bytes: set headers only.
   */
  void beforeHead(HttpExchange exchange, HttpResponse head);

  /** The last byte of the response was flushed. */
  void responseComplete(HttpExchange exchange);

  /** The response cannot be finished (upstream reset mid-body...): the connection must close. */
  void abort(HttpExchange exchange, Throwable cause);
}
