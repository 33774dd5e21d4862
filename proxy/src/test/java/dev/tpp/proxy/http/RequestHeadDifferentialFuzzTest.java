package dev.tpp.proxy.http;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tpp.config.HttpLimits;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.TransferEncodingNotAllowedException;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Our request-head parser against Netty's (strict line parsing, validated headers), which the proxy
 * used before: every head ours accepts, Netty accepts too, and reads the same — method, target,
 * version and every field, in order, name case and all. Ours may refuse more (its request line and
 * field rules are stricter). Also: ours reads a head the same whole or in small pieces. Inputs: the
 * request-decoding fuzz test's seeds (many from the smuggling corpus), and what Jazzer finds.
 */
class RequestHeadDifferentialFuzzTest {
  private static final HttpLimits LIMITS = new HttpLimits(Duration.ofSeconds(10), 1024, 4096);

  @FuzzTest(maxDuration = "60s")
  void ourHeadsReadAsNettysDo(byte[] input) {
    compare(input);
  }

  @Test
  void everySeedReadsAsNettyReadsIt() throws IOException, URISyntaxException {
    Path seeds =
        Path.of(
            Objects.requireNonNull(
                    getClass()
                        .getResource(
                            "/dev/tpp/proxy/server/RequestDecodingFuzzTestInputs/"
                                + "requestBytesAreAnsweredOrRefusedCleanly"))
                .toURI());
    int accepted = 0;
    int total = 0;
    try (Stream<Path> files = Files.list(seeds)) {
      for (Path file : files.sorted().toList()) {
        total++;
        if (compare(Files.readAllBytes(file))) {
          accepted++;
        }
      }
    }
    assertTrue(total > 100, "seeds found: " + total);
    assertTrue(accepted > 40, "heads accepted: " + accepted + " of " + total);
  }

  @Test
  void theComparisonSeesNamesValuesAndFolding() {
    assertTrue(
        compare(
            "POST /a?b HTTP/1.1\r\nHost: a\r\nX-Y:  1 2 \t\r\nx-y: 3\r\nContent-Length: 0\r\n\r\n"
                .getBytes(US_ASCII)));
    assertTrue(compare("GET / HTTP/1.0\r\nX: a\r\n b\r\n\r\n".getBytes(US_ASCII)));
    assertFalse(compare("GET / HTTP/1.1\r\nHost : a\r\n\r\n".getBytes(US_ASCII)));
  }

  /** True when ours accepted the first head of {@code input} (and Netty read it the same way). */
  private static boolean compare(byte[] input) {
    HttpRequest ours = firstHead(new StrictRequestDecoder(LIMITS), input, input.length);
    if (ours == null || ours.decoderResult().isFailure()) {
      return false;
    }
    HttpRequest pieces = firstHead(new StrictRequestDecoder(LIMITS), input, 1 + input.length % 7);
    assertNotNull(pieces, "in pieces, no head");
    assertEquals(describe(ours, false), describe(pieces, false), "whole and in pieces");
    HttpRequest netty =
        firstHead(
            new HttpRequestDecoder(
                new HttpDecoderConfig()
                    .setMaxInitialLineLength(64 * 1024)
                    .setMaxHeaderSize(64 * 1024)
                    .setValidateHeaders(true)),
            input,
            input.length);
    assertNotNull(netty, "Netty found no head where ours did: " + describe(ours, false));
    if (netty.decoderResult().cause() instanceof TransferEncodingNotAllowedException
        && ours.protocolVersion().minorVersion() > 1) {
      return true; // Netty frames no chunked body in HTTP/1.2+; the proxy frames its own (as
      // before)
    }
    assertFalse(
        netty.decoderResult().isFailure(),
        "Netty refused ("
            + netty.decoderResult().cause()
            + ") what ours read as "
            + describe(ours, false));
    // ours writes a Transfer-Encoding it accepted as plain "chunked"; Netty leaves it as sent
    boolean chunked = ours.headers().contains("transfer-encoding");
    assertEquals(describe(netty, chunked), describe(ours, chunked));
    return true;
  }

  private static String describe(HttpRequest r, boolean withoutTransferEncoding) {
    List<String> fields = new ArrayList<>();
    for (Map.Entry<String, String> e : r.headers()) {
      if (!(withoutTransferEncoding && e.getKey().equalsIgnoreCase("transfer-encoding"))) {
        fields.add(e.getKey() + ": [" + e.getValue() + "]");
      }
    }
    return r.method() + " " + r.uri() + " " + r.protocolVersion() + " " + fields;
  }

  private static @Nullable HttpRequest firstHead(ChannelHandler decoder, byte[] input, int piece) {
    EmbeddedChannel ch = new EmbeddedChannel(decoder);
    HttpRequest head = null;
    for (int at = 0; at < input.length && head == null; at += piece) {
      ch.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(piece, input.length - at)));
      for (Object msg; (msg = ch.readInbound()) != null; ) {
        if (head == null && msg instanceof HttpRequest r) {
          head = r;
        }
        ReferenceCountUtil.release(msg);
      }
    }
    ch.finishAndReleaseAll();
    return head;
  }
}
