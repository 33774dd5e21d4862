package dev.tpp.proxy.statics;

import java.util.Objects;

/**
 * A files or thumbnail request that ends in a known status (400, 403, 404, 415) rather than a
 * failure: thrown by {@link SafePath} on the event loop or in a pool task, answered on the loop by
 * {@link StaticRequest#fail}. Cheap to throw (no stack trace): a traversal probe must not cost more
 * than the 403 it earns.
 */
public final class HttpStatusException extends Exception {
  private final int status;

  public HttpStatusException(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  /** The HTTP status the client gets. */
  public int status() {
    return status;
  }

  /** Always set: every constructor takes the message. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "message");
  }
}
