package dev.tpp.proxy.http;

/**
 * A request's body as a route handler sees it, pulled one chunk at a time so a slow consumer slows
 * the client (backpressure) instead of buffering. Either streamed from the client connection, or —
 * when the WAF inspected it — replayed from memory or from its spool file. All methods are called
 * on the exchange's event loop.
 */
public interface RequestBody {

  /** The Content-Length, 0 for no body, or -1 when chunked and not yet known. */
  long length();

  /**
   * Asks for the next chunk; {@code listener} is called once, on the event loop, with a buffer it
   * then owns (and must release) and whether that chunk is the last. Call again after each chunk
   * until {@code last}.
   */
  void read(BodyListener listener);

  /**
   * Drops whatever is left of the body (reading it off the connection so the next request can
   * follow).
   */
  void discard();

  /** True once the last chunk was delivered or discarded. */
  boolean isComplete();
}
