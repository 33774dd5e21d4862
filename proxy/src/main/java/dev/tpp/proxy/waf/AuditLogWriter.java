package dev.tpp.proxy.waf;

import dev.tpp.waf.engine.audit.AuditJson;
import dev.tpp.waf.engine.audit.AuditPolicy;
import dev.tpp.waf.engine.audit.AuditRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log's writer for one target ({@code SecAuditLog}: a file, appended to, or {@code
 * /dev/stdout}): a bounded lock-free queue (records and bytes) drained by one daemon thread, which
 * renders each record with {@link AuditJson} and writes it as one line. {@link #offer} never
 * blocks: when the queue is full the record is dropped and counted. One writer per target for the
 * whole process ({@link #forTarget}), shared by every config generation, so a reload neither
 * reopens the file nor loses queued records. {@link #offer} is called on event loops; the counters
 * are process-wide, exported as {@code tpp_waf_audit_records_total{result}}.
 */
final class AuditLogWriter {
  private static final Logger log = LoggerFactory.getLogger("tpp.waf");
  private static final Map<String, AuditLogWriter> WRITERS = new ConcurrentHashMap<>();
  static final int MAX_RECORDS = 1024;
  static final long MAX_BYTES = 32L << 20;

  static final LongAdder WRITTEN = new LongAdder();
  static final LongAdder DROPPED = new LongAdder();
  static final LongAdder FAILED = new LongAdder();

  /** Opens the target; called on the writer thread, so file I/O never runs on a loop. */
  interface Target {
    OutputStream open() throws IOException;
  }

  private record Entry(AuditRecord record, AuditPolicy policy, String serverId, long weight) {}

  private final String name;
  private final Target target;
  private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final int maxRecords;
  private final long maxBytes;
  private final AtomicInteger queued = new AtomicInteger();
  private final AtomicLong queuedBytes = new AtomicLong();
  private final Thread thread;

  AuditLogWriter(String name, Target target, int maxRecords, long maxBytes) {
    this.name = name;
    this.target = target;
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.thread = new Thread(this::run, "tpp-waf-audit");
    thread.setDaemon(true);
    thread.start();
  }

  /** The process's writer for {@code SecAuditLog} {@code path}, started on first use. */
  static AuditLogWriter forTarget(String path) {
    return WRITERS.computeIfAbsent(
        path, p -> new AuditLogWriter(p, () -> open(p), MAX_RECORDS, MAX_BYTES));
  }

  private static OutputStream open(String path) throws IOException {
    if (path.equals("/dev/stdout")) {
      return System.out;
    }
    Path file = Path.of(path);
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    return Files.newOutputStream(
        file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
  }

  /**
   * Queues a record; false (and counted as dropped) when the queue is full. Any thread; never
   * blocks, nor takes a lock (an event loop calls it).
   */
  boolean offer(AuditRecord record, AuditPolicy policy, String serverId) {
    long weight = record.weight();
    if (queued.incrementAndGet() > maxRecords | queuedBytes.addAndGet(weight) > maxBytes) {
      queued.decrementAndGet();
      queuedBytes.addAndGet(-weight);
      DROPPED.increment();
      return false;
    }
    queue.add(new Entry(record, policy, serverId, weight));
    LockSupport.unpark(thread);
    return true;
  }

  private void run() {
    OutputStream out = null;
    while (true) {
      Entry e = queue.poll();
      if (e == null) {
        LockSupport.park(this); // offer() unparks; a spurious wake-up just polls again
        continue;
      }
      queued.decrementAndGet();
      queuedBytes.addAndGet(-e.weight());
      try {
        if (out == null) {
          out = target.open();
        }
        out.write(
            AuditJson.render(e.record(), e.policy(), e.serverId())
                .getBytes(StandardCharsets.UTF_8));
        if (queue.isEmpty()) {
          out.flush();
        }
        WRITTEN.increment();
      } catch (IOException | RuntimeException failure) {
        FAILED.increment();
        log.warn(
            "event=waf_audit_failed target={} id={} error=\"{}\"",
            name,
            e.record().request().id(),
            failure);
        out = closeQuietly(out);
      }
    }
  }

  /** After a write failed: closed (a file is reopened for the next record), never System.out. */
  private static @Nullable OutputStream closeQuietly(@Nullable OutputStream out) {
    if (out != null && out != System.out) {
      try {
        out.close();
      } catch (IOException ignored) {
        // the failure was logged already
      }
    }
    return null;
  }
}
