package dev.tpp.proxy.http;

/**
 * A request the proxy refuses to read any further, with the status that says why: 400 for bad
 * syntax or framing, 505 for an HTTP version other than 1.x, 501 for a transfer coding other than
 * {@code chunked}, 431 for too many header fields. Carried as the cause of a failed {@code
 * DecoderResult}; the message names the problem in one line and never holds raw client bytes (they
 * are escaped before they are quoted).
 */
public final class RequestRejectedException extends IllegalArgumentException {
  private final int status;

  public RequestRejectedException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** A 400 Bad Request. */
  public static RequestRejectedException badRequest(String message) {
    return new RequestRejectedException(400, message);
  }

  public int status() {
    return status;
  }
}
