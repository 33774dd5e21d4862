package dev.tpp.proxy.http;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A response a route writes as bytes within a batch ({@link HttpExchange#holdFlushes}): a short
 * last body leaves in the head's buffer, one write; anything else leaves as before, in order.
 */
class HttpExchangeJoinTest {
  private static final String HEAD = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";

  private final EmbeddedChannel channel = new EmbeddedChannel(new Http1ResponseEncoder());
  private final Owner owner = new Owner();
  private final List<ByteBuf> heads = new ArrayList<>();
  private HttpExchange exchange;

  HttpExchangeJoinTest() {
    channel
        .pipeline()
        .addLast(
            new ChannelInboundHandlerAdapter() {
              @Override
              public void handlerAdded(ChannelHandlerContext ctx) {
                exchange =
                    new HttpExchange(
                        ctx,
                        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"),
                        "/",
                        1,
                        null,
                        new StreamingBody(0, () -> {}),
                        owner);
              }
            });
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  /** A route's head with {@code spare} bytes of room after it. */
  private Http1Head head(int spare) {
    return new Http1Head() {
      @Override
      public int status() {
        return 200;
      }

      @Override
      public ByteBuf encode(ByteBufAllocator alloc, CharSequence connection) {
        ByteBuf b = alloc.buffer(HEAD.length() + spare).writeBytes(HEAD.getBytes(ISO_8859_1));
        heads.add(b);
        return b;
      }
    };
  }

  private List<String> written() {
    List<String> out = new ArrayList<>();
    for (Object msg; (msg = channel.readOutbound()) != null; ) {
      ByteBuf b = (ByteBuf) msg;
      out.add(b.toString(ISO_8859_1));
      b.release();
    }
    return out;
  }

  private static ByteBuf text(String s) {
    return Unpooled.copiedBuffer(s, ISO_8859_1);
  }

  @Test
  void aShortLastBodyLeavesInTheHeadsBuffer() {
    exchange.holdFlushes();
    exchange.passHead(head(HttpExchange.JOINED_BODY_MAX));
    exchange.passEncodedLast(text("hello"));
    exchange.flushHeld();
    assertEquals(List.of(HEAD + "hello"), written());
    assertEquals(1, owner.completed, "the exchange completed once its one write was flushed");
  }

  @Test
  void aBodySlicedFromADirectReadBufferIsCopiedInAndReleased() {
    // As the origin's decoder hands it over: a retained slice of the socket read's direct buffer.
    ByteBuf read = channel.alloc().directBuffer(16).writeBytes("..hello..".getBytes(ISO_8859_1));
    ByteBuf body = read.retainedSlice(2, 5);
    read.release();
    exchange.holdFlushes();
    exchange.passHead(head(HttpExchange.JOINED_BODY_MAX));
    exchange.passEncodedLast(body);
    exchange.flushHeld();
    assertEquals(List.of(HEAD + "hello"), written());
    assertEquals(0, read.refCnt(), "the read buffer is released once its bytes were copied");
  }

  @Test
  void aBodyLongerThanTheRoomLeftGoesAfterTheHead() {
    exchange.holdFlushes();
    exchange.passHead(head(2));
    exchange.passEncodedLast(text("hello"));
    exchange.flushHeld();
    assertEquals(List.of(HEAD, "hello"), written());
    assertEquals(1, owner.completed);
  }

  @Test
  void aHeadWhoseBodyComesInALaterBatchLeavesAtTheBatchsEnd() {
    exchange.holdFlushes();
    exchange.passHead(head(HttpExchange.JOINED_BODY_MAX));
    exchange.flushHeld();
    assertEquals(List.of(HEAD), written(), "flushed at the end of its batch");
    exchange.holdFlushes();
    exchange.passEncoded(text("hel"));
    exchange.passEncodedLast(text("lo"));
    exchange.flushHeld();
    assertEquals(List.of("hel", "lo"), written());
  }

  @Test
  void aHeldHeadIsReleasedWhenTheExchangeAborts() {
    exchange.holdFlushes();
    exchange.passHead(head(HttpExchange.JOINED_BODY_MAX));
    exchange.abort(new IllegalStateException("origin reset"));
    exchange.flushHeld();
    assertEquals(List.of(), written());
    assertNotNull(owner.aborted);
    assertEquals(0, heads.get(0).refCnt(), "the held head was released, not leaked");
  }

  @Test
  void withoutABatchTheHeadIsWrittenAtOnce() {
    exchange.passHead(head(HttpExchange.JOINED_BODY_MAX));
    channel.runPendingTasks(); // the head's flush at the end of the loop turn
    assertEquals(List.of(HEAD), written());
    exchange.passEncodedLast(text("hello"));
    assertEquals(List.of("hello"), written());
    assertTrue(owner.completed == 1);
  }

  private static final class Owner implements ExchangeOwner {
    int completed;
    Throwable aborted;

    @Override
    public boolean takesHttp1Bytes() {
      return true;
    }

    @Override
    public boolean isHttps() {
      return false;
    }

    @Override
    public String clientIp() {
      return "127.0.0.1";
    }

    @Override
    public void beforeHead(HttpExchange exchange, HttpResponse head) {}

    @Override
    public void responseComplete(HttpExchange exchange) {
      completed++;
    }

    @Override
    public void abort(HttpExchange exchange, Throwable cause) {
      aborted = cause;
    }
  }
}
