package dev.tpp.proxy.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.audit.AuditPolicy;
import dev.tpp.waf.engine.audit.AuditRecord;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AuditLogWriterTest {
  private static final AuditPolicy ON =
      new AuditPolicy(AuditPolicy.Engine.ON, "ABFHZ", null, "test");

  private static AuditRecord record(String id) {
    WafRequest request =
        new WafRequest(
            id,
            "127.0.0.1",
            40000,
            "127.0.0.1",
            8080,
            "GET",
            "/" + id,
            "HTTP/1.1",
            List.of(Map.entry("Host", "example")),
            null,
            null,
            0);
    return new AuditRecord(request, 0, 200, List.of(), null, List.of(), "Enabled", List.of());
  }

  /** A target whose first write blocks until released, as a stalled disk or a pipe nobody reads. */
  private static final class StalledTarget extends OutputStream {
    final CountDownLatch writing = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public synchronized void write(int b) {
      written.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      writing.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (this) {
        written.write(b, off, len);
      }
    }
  }

  @Test
  void fullQueueDropsAndCountsWithoutBlockingTheCaller() throws Exception {
    StalledTarget target = new StalledTarget();
    AuditLogWriter writer = new AuditLogWriter("stalled", () -> target, 2, 1 << 20);
    long droppedBefore = AuditLogWriter.DROPPED.sum();
    long writtenBefore = AuditLogWriter.WRITTEN.sum();
    assertTrue(writer.offer(record("r0"), ON, "s"));
    assertTrue(
        target.writing.await(10, TimeUnit.SECONDS), "the writer took r0 and is stuck writing it");
    assertTrue(writer.offer(record("r1"), ON, "s"));
    assertTrue(writer.offer(record("r2"), ON, "s"));
    long start = System.nanoTime();
    for (int i = 3; i < 10; i++)
      assertFalse(writer.offer(record("r" + i), ON, "s"), "queue of 2 is full");
    assertTrue(
        System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5),
        "offer never waits for the writer");
    assertEquals(7, AuditLogWriter.DROPPED.sum() - droppedBefore);
    target.release.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (AuditLogWriter.WRITTEN.sum() - writtenBefore < 3) {
      assertTrue(
          System.nanoTime() < deadline, "queued records written once the target moves again");
      Thread.onSpinWait();
    }
    String out;
    synchronized (target) {
      out = target.written.toString(StandardCharsets.UTF_8);
    }
    assertEquals(3, out.lines().count());
    assertTrue(
        out.lines().allMatch(l -> l.startsWith("{\"transaction\":{\"client_ip\":\"127.0.0.1\"")),
        out);
  }

  @Test
  void byteBoundDropsLargeRecordsEvenWithRoomInTheQueue() {
    AuditLogWriter writer = new AuditLogWriter("tiny", ByteArrayOutputStream::new, 100, 100);
    long droppedBefore = AuditLogWriter.DROPPED.sum();
    assertFalse(writer.offer(record("big"), ON, "s"), "a record weighs at least 512 bytes");
    assertEquals(1, AuditLogWriter.DROPPED.sum() - droppedBefore);
  }
}
