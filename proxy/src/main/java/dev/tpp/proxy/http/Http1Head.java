package dev.tpp.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A response head that its route encodes as HTTP/1.1 bytes itself, without header objects (the
 * upstream relay: the origin's head, rewritten as it is copied). {@link
 * HttpExchange#passHead(Http1Head)} asks for the bytes once the connection's owner has chosen the
 * {@code Connection} header. Called on the exchange's loop, during that call only.
 */
public interface Http1Head {
  /** The status code the head carries. */
  int status();

  /**
   * The head's bytes, from the status line to the empty line that ends it, with {@code connection}
   * (null: none) as its {@code Connection} header. The caller owns the buffer.
   */
  ByteBuf encode(ByteBufAllocator alloc, CharSequence connection);
}
