package dev.tpp.proxy.route.upstream;

import io.netty.handler.codec.http.HttpObject;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link UpstreamConnection} in use reports to the request it carries; called on the
 * connection's loop.
 */
interface ConnectionListener {

  /** A decoded piece of the response; the listener owns {@code msg} and must release it. */
  void onRead(HttpObject msg);

  /** The socket read asked for has been processed (with or without a whole message). */
  void onReadComplete();

  /**
   * The connection closed; {@code cause} is the error that closed it, or null for an orderly close.
   */
  void onClosed(@Nullable Throwable cause);
}
