package dev.tpp.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.channel.StacklessClosedChannelException;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The reason in an {@code event=tls_handshake_failed} log line, as docs/tls.md lists them. */
class TlsHandshakeObserverTest {
  @Test
  void aClientThatClosesMidHandshakeIsNamedAsSuch() {
    // what SslHandler reports when the peer closes after its ClientHello, e.g. while the signature
    // is in the pool
    assertEquals(
        "closed before the handshake completed",
        TlsHandshakeObserver.reason(
            StacklessClosedChannelException.newInstance(
                TlsHandshakeObserverTest.class, "channelInactive")));
    assertEquals("closed before the handshake completed", TlsHandshakeObserver.reason(null));
  }

  @Test
  void otherFailuresKeepTheirOwnReason() {
    assertEquals(
        "handshake timed out",
        TlsHandshakeObserver.reason(new SslHandshakeTimeoutException("10000ms")));
    assertEquals(
        "error:10000070:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL",
        TlsHandshakeObserver.reason(
            new SSLHandshakeException(
                "error:10000070:SSL routines:OPENSSL_internal:UNSUPPORTED_PROTOCOL")));
  }
}
