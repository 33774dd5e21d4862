package dev.tpp.proxy.route.upstream;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A request body for {@link java.net.http.HttpClient} that sends its first MiB, then waits — on a
 * thread of its own, never the client's — until {@code gate} opens before sending the rest; it
 * fails the body if the gate stays shut.
 */
final class GatedPublisher implements Flow.Publisher<ByteBuffer> {
  private static final int CHUNK = 64 * 1024;
  private final byte[] data;
  private final CountDownLatch gate;

  GatedPublisher(byte[] data, CountDownLatch gate) {
    this.data = data;
    this.gate = gate;
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    Semaphore demand = new Semaphore(0);
    boolean[] cancelled = {false};
    subscriber.onSubscribe(
        new Flow.Subscription() {
          @Override
          public void request(long n) {
            demand.release((int) Math.min(n, Integer.MAX_VALUE / 2));
          }

          @Override
          public void cancel() {
            cancelled[0] = true;
          }
        });
    Thread feeder =
        new Thread(
            () -> {
              try {
                for (int off = 0; off < data.length && !cancelled[0]; off += CHUNK) {
                  if (off == 1 << 20 && !gate.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(
                        "the origin saw nothing before the client finished: the proxy buffers");
                  }
                  demand.acquire();
                  subscriber.onNext(ByteBuffer.wrap(data, off, Math.min(CHUNK, data.length - off)));
                }
                subscriber.onComplete();
              } catch (InterruptedException | RuntimeException e) {
                subscriber.onError(e);
              }
            },
            "gated-upload");
    feeder.setDaemon(true);
    feeder.start();
  }
}
