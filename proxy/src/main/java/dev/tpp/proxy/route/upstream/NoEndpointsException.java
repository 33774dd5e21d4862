package dev.tpp.proxy.route.upstream;

/**
 * An upstream has no endpoint to send a request to (its set is empty right now): the client gets a
 * 503.
 */
final class NoEndpointsException extends Exception {
  NoEndpointsException(String upstream) {
    super("upstream " + upstream + ": no endpoints available", null, false, false);
  }
}
