package dev.tpp.proxy.route.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class FileReplyTest {
  static final long T = 784_111_777_000L;

  @Test
  void fullHeadCarriesLengthTypeDateAndAcceptRanges() {
    FileReply reply = new FileReply(200, null, 1234, T, "image/png", null);
    HttpHeaders h = reply.head().headers();
    assertEquals(200, reply.head().status().code());
    assertEquals("1234", h.get("Content-Length"));
    assertEquals("image/png", h.get("Content-Type"));
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", h.get("Last-Modified"));
    assertEquals("bytes", h.get("Accept-Ranges"));
    assertNull(h.get("Content-Range"));
  }

  @Test
  void partialHeadCarriesContentRangeAndTheSliceLength() {
    FileReply reply = new FileReply(206, null, 1234, T, "image/png", new ByteRange(100, 199));
    HttpHeaders h = reply.head().headers();
    assertEquals(206, reply.head().status().code());
    assertEquals("100", h.get("Content-Length"));
    assertEquals("bytes 100-199/1234", h.get("Content-Range"));
  }

  @Test
  void unsatisfiableNamesTheSize() {
    FullHttpResponse response =
        new FileReply(416, null, 1234, T, "image/png", null)
            .unsatisfiable(ByteBufAllocator.DEFAULT);
    try {
      assertEquals(416, response.status().code());
      assertEquals("bytes */1234", response.headers().get("Content-Range"));
    } finally {
      response.release();
    }
  }
}
