package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigLoader;
import dev.tpp.proxy.http.BodyListener;
import dev.tpp.proxy.http.HttpExchange;
import dev.tpp.proxy.route.RouteHandler;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

/**
 * A long upload and a slow streaming response that are in flight while {@code workers} changes both
 * complete intact: their connections stay on the old worker generation, which drains instead of
 * cutting them. Until the upstream route lands, the upload goes through the WAF (a 512 KiB body,
 * spooled to a file and replayed from it by the WAF pool) to a test handler that checksums it, and
 * the stream is a test handler that writes 16 chunks of 8 KiB, the first before the reload and the
 * rest after it. The reload also swaps the WAF pool (a new maxQueue): the upload, which began on
 * the old config, keeps spooling, being inspected and replayed on the old pool, which must not be
 * shut down under it.
 */
class ReloadSpanningIT {
  static final int CHUNKS = 16;
  static final int CHUNK = 8 * 1024;
  static final int UPLOAD = 512 * 1024;

  final CountDownLatch streaming = new CountDownLatch(1);
  final CompletableFuture<Void> resume = new CompletableFuture<>();

  static String config(int workers) {
    return TestProxy.withEphemeralPorts(
        """
        workers: %d
        shutdownTimeout: 10s
        pools: [{name: waf, threads: 2, maxQueue: %d, overflow: reject}]
        waf: {enabled: true, pool: waf, mode: block, requestBodyLimit: 1Mi, inMemoryBodyLimit: 16Ki, rules: ""}
        routes:
          - {path: /stream, waf: false, return: {status: 200, body: replaced-by-test}}
          - {path: /upload, return: {status: 200, body: replaced-by-test}}
        """
            .formatted(workers, 8 * workers));
  }

  @Test
  void uploadAndStreamSpanningAWorkersChangeCompleteIntact() throws Exception {
    GenerationBuilder.HandlerOverride handlers =
        route ->
            switch (route.path()) {
              case "/stream" -> new SlowStream();
              case "/upload" -> new Checksum();
              default -> null;
            };
    byte[] upload = new byte[UPLOAD];
    for (int i = 0; i < upload.length; i++) {
      upload[i] = (byte) (i * 31 + (i >> 9));
    }
    try (TestProxy proxy = TestProxy.start(config(1), Path.of("."), new MarkerWaf(), handlers);
        RawClient uploader = new RawClient(proxy.port());
        RawClient reader = new RawClient(proxy.port())) {
      reader.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n");
      assertTrue(streaming.await(10, TimeUnit.SECONDS), "the stream began");
      uploader.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: " + UPLOAD + "\r\n\r\n");
      uploader.socket().getOutputStream().write(upload, 0, UPLOAD / 2);
      uploader.socket().getOutputStream().flush();

      proxy.server().reload(ConfigLoader.parse(config(2), Path.of(".")));
      assertEquals(2, proxy.server().workers().size(), "new workers in force");
      assertEquals(16, proxy.server().pools().get("waf").maxQueue(), "a new WAF pool in force");
      assertEquals(
          204, proxy.get("/stream-probe").statusCode(), "new requests are served meanwhile");

      uploader.socket().getOutputStream().write(upload, UPLOAD / 2, UPLOAD - UPLOAD / 2);
      uploader.socket().getOutputStream().flush();
      resume.complete(null);

      String uploaded = uploader.readUntilClose();
      CRC32 crc = new CRC32();
      crc.update(upload);
      assertTrue(uploaded.startsWith("HTTP/1.1 200"), uploaded);
      assertTrue(uploaded.endsWith(UPLOAD + " " + crc.getValue()), uploaded);
      assertTrue(
          uploaded.toLowerCase().contains("connection: close"),
          "the draining worker closes after it");

      String streamed = reader.readUntilClose();
      assertTrue(streamed.startsWith("HTTP/1.1 200"), streamed.substring(0, 200));
      assertArrayEquals(expectedStream(), dechunk(streamed), "every chunk arrived, in order");
    }
  }

  private static byte[] expectedStream() {
    byte[] all = new byte[CHUNKS * CHUNK];
    for (int i = 0; i < CHUNKS; i++) {
      Arrays.fill(all, i * CHUNK, (i + 1) * CHUNK, (byte) ('a' + i));
    }
    return all;
  }

  /** The body of a chunked response read as ISO-8859-1 text. */
  private static byte[] dechunk(String response) {
    int at = response.indexOf("\r\n\r\n") + 4;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      int lineEnd = response.indexOf("\r\n", at);
      int size = Integer.parseInt(response.substring(at, lineEnd).trim(), 16);
      if (size == 0) {
        return body.toByteArray();
      }
      body.writeBytes(
          response
              .substring(lineEnd + 2, lineEnd + 2 + size)
              .getBytes(StandardCharsets.ISO_8859_1));
      at = lineEnd + 2 + size + 2;
    }
  }

  /**
   * Writes the head and one chunk at once, the rest once the test resumes it, 20 ms apart (on the
   * loop).
   */
  final class SlowStream implements RouteHandler {
    @Override
    public void handle(HttpExchange exchange) {
      if (!exchange.path().equals("/stream")) {
        exchange.send(
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT));
        return;
      }
      exchange.body().discard();
      DefaultHttpResponse head =
          new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      exchange.writeHead(head);
      exchange.write(chunk(0));
      streaming.countDown();
      resume.thenRun(() -> exchange.loop().execute(() -> writeFrom(exchange, 1)));
    }

    private void writeFrom(HttpExchange exchange, int i) {
      if (i == CHUNKS) {
        exchange.writeLast(LastHttpContent.EMPTY_LAST_CONTENT);
        return;
      }
      exchange.write(chunk(i));
      exchange.loop().schedule(() -> writeFrom(exchange, i + 1), 20, TimeUnit.MILLISECONDS);
    }

    private DefaultHttpContent chunk(int i) {
      byte[] bytes = new byte[CHUNK];
      Arrays.fill(bytes, (byte) ('a' + i));
      return new DefaultHttpContent(Unpooled.wrappedBuffer(bytes));
    }
  }

  /** Reads the whole body (replayed by the WAF from its spool file) and answers "length crc32". */
  static final class Checksum implements RouteHandler {
    @Override
    public void handle(HttpExchange exchange) {
      CRC32 crc = new CRC32();
      long[] length = {0};
      exchange
          .body()
          .read(
              new BodyListener() {
                @Override
                public void onChunk(ByteBuf chunk, boolean last) {
                  byte[] bytes = new byte[chunk.readableBytes()];
                  chunk.readBytes(bytes);
                  chunk.release();
                  crc.update(bytes);
                  length[0] += bytes.length;
                  if (!last) {
                    exchange.body().read(this);
                    return;
                  }
                  byte[] answer =
                      (length[0] + " " + crc.getValue()).getBytes(StandardCharsets.US_ASCII);
                  DefaultFullHttpResponse response =
                      new DefaultFullHttpResponse(
                          HttpVersion.HTTP_1_1,
                          HttpResponseStatus.OK,
                          Unpooled.wrappedBuffer(answer));
                  response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.length);
                  exchange.send(response);
                }

                @Override
                public void onError(Throwable cause) {
                  exchange.sendError(HttpResponseStatus.INTERNAL_SERVER_ERROR, cause.toString());
                }
              });
    }
  }
}
