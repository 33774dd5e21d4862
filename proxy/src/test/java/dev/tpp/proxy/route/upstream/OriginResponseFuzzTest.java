package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tpp.config.FuzzBudget;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Raw origin bytes through {@link OriginResponseDecoder}, and each head it finds through the
 * client's encoding ({@link ClientHeadEncoder}), on an {@link io.netty.channel.embedded
 * .EmbeddedChannel}. The first byte picks the request (bit 0: HEAD, else GET) and whether the
 * origin closes after the rest (bit 1). For every input: no exception escapes; the outcome (heads,
 * body, ends, failure) does not depend on how TCP splits the bytes; a head for the client is {@code
 * HTTP/1.1 3DIGIT}, lines without stray CR, LF or controls, and none of the hop-by-hop fields; a
 * failure is the last thing delivered; linear time. Seeds: {@code OriginResponseFuzzTestInputs/}.
 */
class OriginResponseFuzzTest {
  private static final List<String> HOP_BY_HOP =
      List.of("connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade");

  /** What the relay would see. */
  record Outcome(List<DecodedResponses.Head> heads, String body, int ends, boolean failed) {}

  @FuzzTest(maxDuration = "60s")
  void originBytesDecodeCleanlyWhateverTheSplit(byte[] input) {
    if (input.length == 0) {
      return;
    }
    HttpMethod method = (input[0] & 1) == 1 ? HttpMethod.HEAD : HttpMethod.GET;
    boolean close = (input[0] & 2) == 2;
    String bytes = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
    Outcome whole =
        FuzzBudget.within(
            "origin response decoding",
            input.length,
            () -> outcome(bytes, method, Integer.MAX_VALUE, close));
    int piece = 1 + input.length % 7;
    assertEquals(whole, outcome(bytes, method, piece, close), "in pieces of " + piece);
    for (DecodedResponses.Head head : whole.heads()) {
      checkClientHead(head.forClient());
    }
  }

  private static Outcome outcome(String bytes, HttpMethod method, int piece, boolean close) {
    DecodedResponses seen = DecodedResponses.of(bytes, method, piece, close);
    assertTrue(seen.ends <= seen.heads.size(), "an end without a head");
    return new Outcome(seen.heads, seen.body.toString(), seen.ends, seen.failure != null);
  }

  private static void checkClientHead(String head) {
    assertTrue(head.matches("HTTP/1\\.1 [1-9][0-9][0-9] [^\\r\\n]*\\r\\n(?s).*"), head);
    assertTrue(head.endsWith("\r\n\r\n"), head);
    String[] lines = head.substring(0, head.length() - 4).split("\r\n", -1);
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      assertFalse(line.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f), line);
      int colon = line.indexOf(':');
      assertTrue(colon > 0, line);
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      assertFalse(HOP_BY_HOP.contains(name), "hop-by-hop field passed: " + line);
    }
  }

  @Test
  void theHarnessSeesHeadsBodiesAndFailures() {
    originBytesDecodeCleanlyWhateverTheSplit(
        "\0HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"
            .getBytes(StandardCharsets.ISO_8859_1));
    Outcome ok =
        outcome("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", HttpMethod.GET, 3, false);
    assertEquals(1, ok.heads().size());
    assertEquals("ok", ok.body());
    assertEquals(1, ok.ends());
    assertTrue(outcome("HTTP/1.1 200 OK\r\nX: \0\r\n\r\n", HttpMethod.GET, 3, false).failed());
  }
}
