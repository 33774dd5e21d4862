package dev.tpp.proxy.http;

import dev.tpp.config.HttpLimits;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequestDecoder;

/**
 * Netty's request decoder with our limits, refusing request smuggling: Content-Length together with
 * Transfer-Encoding becomes an invalid message (answered 400 and closed) instead of Netty's default of dropping the
 * Content-Length. Conflicting Content-Lengths are already invalid in Netty.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {

  public StrictRequestDecoder(HttpLimits limits) {
    super(new HttpDecoderConfig()
        .setMaxInitialLineLength(limits.maxRequestLine())
        .setMaxHeaderSize(limits.maxHeaderSize())
        .setMaxChunkSize(64 * 1024)
        .setValidateHeaders(true));
  }

  @Override
  protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
    throw new IllegalArgumentException("Content-Length and Transfer-Encoding together");
  }
}
