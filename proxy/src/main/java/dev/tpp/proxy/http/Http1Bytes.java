package dev.tpp.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Part of an HTTP/1.1 response already framed for the client connection (a head from an {@link
 * Http1Head}, or body bytes with any chunk framing), which {@link Http1ResponseEncoder} hands to
 * the socket unchanged. Made and written by {@link HttpExchange} on the connection's loop; the
 * buffer is the holder's until written.
 */
final class Http1Bytes extends DefaultByteBufHolder {
  Http1Bytes(ByteBuf bytes) {
    super(bytes);
  }
}
