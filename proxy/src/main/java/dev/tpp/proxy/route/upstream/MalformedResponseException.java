package dev.tpp.proxy.route.upstream;

/**
 * An origin's response that cannot be relayed as it is (RFC 9112 framing, limits, characters): the
 * call answers 502, or cuts the response when its head already went out. The message says what was
 * wrong, for the log; no stack trace is taken, for a faulty origin may send many.
 */
final class MalformedResponseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MalformedResponseException(String message) {
    super(message, null, false, false);
  }
}
