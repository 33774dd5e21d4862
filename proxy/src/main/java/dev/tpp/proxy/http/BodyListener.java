package dev.tpp.proxy.http;

import io.netty.buffer.ByteBuf;

/**
 * Gets one body chunk (or the failure that ended the body) on the event loop. See {@link
 * RequestBody#read}.
 */
public interface BodyListener {
  /**
   * {@code chunk} belongs to the listener, which must release it; it may be empty when {@code
   * last}.
   */
  void onChunk(ByteBuf chunk, boolean last);

  /**
   * The body could not be read to its end (client gone, spool read failed); no further calls
   * follow.
   */
  void onError(Throwable cause);
}
