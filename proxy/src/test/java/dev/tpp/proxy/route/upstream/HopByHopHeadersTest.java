package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

  private static Set<String> namesAfterStrip(HttpHeaders headers) {
    HopByHopHeaders.strip(headers);
    Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    names.addAll(headers.names());
    return names;
  }

  @Test
  void removesTheFixedSet() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Connection", "keep-alive")
            .add("Keep-Alive", "timeout=5")
            .add("Proxy-Connection", "keep-alive")
            .add("TE", "trailers")
            .add("Trailer", "X-Sum")
            .add("Transfer-Encoding", "chunked")
            .add("Upgrade", "websocket")
            .add("Proxy-Authorization", "Basic eDp5")
            .add("Proxy-Authenticate", "Basic")
            .add("Content-Type", "text/plain");
    assertEquals(
        Set.of("content-type"),
        Set.copyOf(namesAfterStrip(h).stream().map(String::toLowerCase).toList()));
  }

  @Test
  void removesWhatConnectionNamesWhateverTheCaseAndSpacing() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Connection", "close,  X-Hop-One")
            .add("connection", "x-hop-two")
            .add("X-Hop-One", "1")
            .add("X-HOP-TWO", "2")
            .add("X-Stays", "3");
    assertEquals(Set.of("X-Stays"), namesAfterStrip(h));
  }

  @Test
  void neverStripsTheHeadersTheProxyRoutedAndFramedBy() {
    HttpHeaders h =
        new DefaultHttpHeaders()
            .add("Connection", "Host, content-type, Content-Length, X-Hop")
            .add("Host", "a")
            .add("Content-Type", "text/plain")
            .add("Content-Length", "3")
            .add("X-Hop", "1");
    assertEquals(Set.of("Content-Length", "Content-Type", "Host"), namesAfterStrip(h));
  }

  @Test
  void leavesEndToEndHeadersAlone() {
    HttpHeaders h =
        new DefaultHttpHeaders().add("Host", "a").add("Content-Length", "3").add("Cookie", "c=1");
    assertEquals(3, namesAfterStrip(h).size());
  }
}
