package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tpp.config.UpstreamConfig.HashOn;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HashKeysTest {

  @Test
  void readsTheHeaderCaseInsensitively() {
    HttpHeaders h = new DefaultHttpHeaders().add("x-user", "alice");
    assertEquals("alice", HashKeys.of(new HashOn("X-User", null), h));
    assertNull(HashKeys.of(new HashOn("X-Tenant", null), h));
    assertNull(HashKeys.of(null, h), "no hashOn: no key");
  }

  @Test
  void findsTheCookieAmongSeveralHeadersAndPairs() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Cookie", "theme=dark; lang=en")
            .add("Cookie", "sid=abc123; x=1");
    assertEquals("abc123", HashKeys.of(new HashOn(null, "sid"), h));
    assertNull(HashKeys.of(new HashOn(null, "session"), h));
    assertNull(HashKeys.of(new HashOn(null, "sid"), new DefaultHttpHeaders()));
  }
}
