package dev.tpp.proxy.server;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.FuzzBudget;
import dev.tpp.config.ProxyConfig;
import dev.tpp.proxy.http2.Http2Metrics;
import dev.tpp.proxy.metrics.ProxyMetrics;
import dev.tpp.proxy.pool.OffloadPools;
import dev.tpp.proxy.pool.PoolMetrics;
import dev.tpp.proxy.route.upstream.EndpointDirectory;
import dev.tpp.proxy.tls.TlsContexts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Raw client bytes through the HTTP/1.1 pipeline the server builds ({@link
 * ProxyChannelInitializer#addHttp1}: Netty's decoder made strict, the body framing, normalisation
 * and routing in the dispatcher) on an {@link EmbeddedChannel}, with {@link OriginView} where the
 * upstream would be. For every input: no exception reaches the pipeline's end, no answer is a 500,
 * every request that reaches the origin's place is unambiguous (one Host, a normalised origin-form
 * target, a body of its declared length), the outcome does not depend on how TCP splits the bytes
 * (whole vs. in small pieces), and it takes linear time. Seeds: {@code
 * RequestDecodingFuzzTestInputs/}, many from the smuggling corpus.
 */
class RequestDecodingFuzzTest {
  static {
    // one log line per refusal is right for a server, but the fuzzer provokes thousands a second
    System.setProperty("org.slf4j.simpleLogger.log.tpp", "warn");
  }

  private static final OriginView ORIGIN = new OriginView();
  private static final FixedServer SERVER = new FixedServer(config());

  @FuzzTest(maxDuration = "60s")
  void requestBytesAreAnsweredOrRefusedCleanly(byte[] input) {
    List<Integer> whole =
        FuzzBudget.within("request decoding", input.length, () -> statuses(input, input.length));
    List<Integer> pieces = statuses(input, 1 + input.length % 7);
    assertEquals(
        whole,
        pieces,
        "the same bytes in pieces of " + (1 + input.length % 7) + " get other answers");
  }

  @Test
  void theHarnessSeesAnswersAndRefusals() {
    byte[] two =
        "GET /a/../x HTTP/1.1\r\nHost: a\r\n\r\nGET /fixed HTTP/1.1\r\nHost: a\r\n\r\n"
            .getBytes(US_ASCII);
    assertEquals(List.of(200, 204), statuses(two, two.length));
    byte[] clTe =
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
            .getBytes(US_ASCII);
    assertEquals(List.of(400), statuses(clTe, 3));
  }

  /**
   * The statuses the client reads back after sending {@code input} in pieces of {@code piece}
   * bytes, then FIN.
   */
  private static List<Integer> statuses(byte[] input, int piece) {
    EmbeddedChannel ch = new EmbeddedChannel();
    ch.config().setAutoRead(false);
    ProxyChannelInitializer.addHttp1(ch.pipeline(), SERVER, SERVER.generation().config(), null);
    ch.pipeline().fireChannelActive();
    for (int at = 0; at < input.length && ch.isOpen(); at += Math.max(piece, 1)) {
      ch.writeInbound(Unpooled.wrappedBuffer(input, at, Math.min(piece, input.length - at)));
      ch.runPendingTasks();
    }
    ch.runPendingTasks();
    List<Integer> statuses = responses(ch);
    ch.checkException();
    ch.finishAndReleaseAll();
    AssertionError broken = ORIGIN.takeFailure();
    if (broken != null) {
      throw broken;
    }
    statuses.forEach(s -> assertTrue(s != 500 && s >= 100 && s < 600, "answered " + s));
    return statuses;
  }

  private static List<Integer> responses(EmbeddedChannel ch) {
    EmbeddedChannel client = new EmbeddedChannel(new HttpResponseDecoder());
    for (Object out; (out = ch.readOutbound()) != null; ) {
      if (out instanceof ByteBuf buf) {
        client.writeInbound(buf);
      } else {
        ReferenceCountUtil.release(out);
      }
    }
    List<Integer> statuses = new ArrayList<>();
    for (Object in; (in = client.readInbound()) != null; ) {
      if (in instanceof HttpResponse r) {
        statuses.add(r.status().code());
      }
      ReferenceCountUtil.release(in);
    }
    client.finishAndReleaseAll();
    return statuses;
  }

  private static ProxyConfig config() {
    try {
      return ConfigLoader.parse(
          """
          http: {maxHeaderSize: 4Ki, maxRequestLine: 1Ki, maxHeaders: 20}
          routes:
            - {path: /fixed, return: {status: 204}}
            - {path: /, return: {status: 200}}
          """,
          Path.of("."));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The server state a connection reads: one generation whose {@code /} route is the {@link
   * OriginView}.
   */
  private static final class FixedServer implements ServerState {
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final Generation generation;

    FixedServer(ProxyConfig config) {
      GenerationBuilder builder =
          new GenerationBuilder(
              metrics,
              new OffloadPools(PoolMetrics.factory(metrics.registry())),
              route -> route.path().equals("/") ? ORIGIN : null,
              new EndpointDirectory());
      generation = builder.build(config, null, "fuzz");
    }

    @Override
    public Generation generation() {
      return generation;
    }

    @Override
    public ProxyMetrics metrics() {
      return metrics;
    }

    @Override
    public boolean draining() {
      return false;
    }

    @Override
    public TlsContexts tls() {
      return null;
    }

    @Override
    public Http2Metrics http2Metrics() {
      return null;
    }
  }
}
