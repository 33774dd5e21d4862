package dev.tpp.proxy.tls;

import dev.tpp.config.ListenerConfig;
import dev.tpp.config.ProxyConfig;
import dev.tpp.config.TlsConfig;
import dev.tpp.config.tls.CertificateFileException;
import dev.tpp.config.tls.CertificateFiles;
import dev.tpp.config.tls.CertificatePair;
import dev.tpp.proxy.pool.OffloadPool;
import dev.tpp.proxy.pool.OffloadPools;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.ssl.SslContext;
import io.netty.util.ReferenceCountUtil;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every TLS listener's certificates as served now. {@link #prepare} loads and checks the files of a
 * config and builds its contexts (on a control thread: file I/O and a test signature per pair);
 * {@link #publish} swaps them in with one volatile write, so new handshakes use the new pairs at
 * once while established connections go on with theirs. A pair that fails to load throws, and
 * nothing is swapped: the last good set stays. Event loops only read {@link #forListener}.
 * Session-ticket keys rotate every {@link #TICKET_ROTATION_MINUTES} minutes on {@code
 * tpp-tls-tickets}.
 */
public final class TlsContexts implements AutoCloseable {
  static final long TICKET_ROTATION_MINUTES = 60;
  static final long RELEASE_GRACE_SECONDS = 60;
  private static final Logger log = LoggerFactory.getLogger("tpp.tls");

  private final OffloadPools pools;
  private final TlsMetrics metrics;
  private final HandshakeTracker tracker = new HandshakeTracker();
  private final TicketKeys tickets = new TicketKeys();
  private final ScheduledThreadPoolExecutor rotation;
  private volatile Map<String, ListenerTls> listeners = Map.of();
  private final Queue<Collection<ListenerTls>> retiring = new ConcurrentLinkedQueue<>();

  public TlsContexts(OffloadPools pools, MeterRegistry registry) {
    this.pools = pools;
    this.metrics = new TlsMetrics(registry);
    this.rotation =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "tpp-tls-tickets");
              t.setDaemon(true);
              return t;
            });
    rotation.scheduleAtFixedRate(
        this::rotateTickets, TICKET_ROTATION_MINUTES, TICKET_ROTATION_MINUTES, TimeUnit.MINUTES);
  }

  /**
   * The contexts of {@code config}'s TLS listeners, built but not in force. Throws naming the field
   * and file.
   */
  public Prepared prepare(ProxyConfig config) throws CertificateFileException {
    Map<String, ListenerTls> built = new LinkedHashMap<>();
    try {
      for (int i = 0; i < config.listeners().size(); i++) {
        ListenerConfig listener = config.listeners().get(i);
        if (listener.secure()) {
          built.put(listener.name(), build(listener, "listeners[" + i + "].tls"));
        }
      }
    } catch (CertificateFileException e) {
      release(built.values());
      throw e;
    }
    return new Prepared(Map.copyOf(built));
  }

  private ListenerTls build(ListenerConfig listener, String path) throws CertificateFileException {
    TlsConfig tls = Objects.requireNonNull(listener.tls(), "tls: built for TLS listeners only");
    List<CertificatePair> pairs = new ArrayList<>();
    List<SslContext> contexts = new ArrayList<>();
    for (int c = 0; c < tls.certificates().size(); c++) {
      TlsConfig.Certificate files = tls.certificates().get(c);
      try {
        CertificatePair pair =
            CertificateFiles.load(
                files.certFile(), files.keyFile(), files.serverNames(), Instant.now());
        pairs.add(pair);
        SslContext context =
            ServerContexts.build(
                pair,
                tls,
                listener.http2(),
                new PooledKeyMethod(pair.key(), () -> pools.get(tls.pool()), tracker));
        tickets.applyTo(context);
        contexts.add(context);
      } catch (CertificateFileException e) {
        contexts.forEach(ReferenceCountUtil::release);
        throw new CertificateFileException(path + ".certificates[" + c + "]: " + e.getMessage());
      }
    }
    return new ListenerTls(
        listener.name(),
        ServerContexts.sni(pairs, contexts),
        pairs,
        contexts,
        tls.handshakeTimeout().toMillis(),
        tls.pool());
  }

  /** Puts {@code prepared} in force for new handshakes. Control thread. */
  public void publish(Prepared prepared) {
    Map<String, ListenerTls> replaced = listeners;
    listeners = prepared.listeners();
    releaseLater(replaced.values());
    metrics.listeners(prepared.listeners().keySet());
    List<CertificatePair> all = new ArrayList<>();
    prepared.listeners().values().forEach(l -> all.addAll(l.certificates()));
    metrics.certificates(all);
    for (ListenerTls l : prepared.listeners().values()) {
      for (CertificatePair pair : l.certificates()) {
        log.info(
            "event=certificate_loaded listener={} server_names={} not_after={} file={}",
            l.listener(),
            String.join(",", pair.names()),
            pair.notAfter(),
            pair.certFile());
      }
    }
  }

  /**
   * The listener's certificates in force, or null when it has no TLS. Any thread (event loops per
   * connection).
   */
  public @Nullable ListenerTls forListener(String name) {
    return listeners.get(name);
  }

  /**
   * The pool that signs for {@code tls}'s handshakes when it has threads, else null ({@code
   * threads: 0}: everything, signature included, runs on the connection's own loop). A listener
   * with such a pool handshakes on the handshake loops, off the serving loops. Any thread.
   */
  public @Nullable OffloadPool signingPool(ListenerTls tls) {
    OffloadPool pool = pools.get(tls.pool());
    return pool != null && pool.threads() > 0 ? pool : null;
  }

  /** Every certificate and key file in force, for the file watcher. */
  public List<Path> files() {
    List<Path> files = new ArrayList<>();
    for (ListenerTls l : listeners.values()) {
      for (CertificatePair pair : l.certificates()) {
        files.add(Path.of(pair.certFile()));
        files.add(Path.of(pair.keyFile()));
      }
    }
    return files;
  }

  HandshakeTracker tracker() {
    return tracker;
  }

  TlsMetrics metrics() {
    return metrics;
  }

  private void rotateTickets() {
    tickets.rotate();
    for (ListenerTls l : listeners.values()) {
      l.contexts().forEach(tickets::applyTo);
    }
    log.info("event=ticket_keys_rotated kept={}", TicketKeys.KEPT);
  }

  /**
   * Drops this registry's reference to replaced contexts, after {@link #RELEASE_GRACE_SECONDS}: a
   * handshake that read the old mapping just before the swap still makes its engine from it (each
   * engine holds its context until it is freed itself, so established connections are unaffected).
   */
  private void releaseLater(Collection<ListenerTls> replaced) {
    if (replaced.isEmpty()) {
      return;
    }
    retiring.add(replaced);
    Runnable release =
        () -> {
          if (retiring.remove(replaced)) { // else close() released it already
            release(replaced);
          }
        };
    try {
      rotation.schedule(release, RELEASE_GRACE_SECONDS, TimeUnit.SECONDS);
    } catch (RejectedExecutionException closed) {
      release.run(); // shutting down: no new handshakes
    }
  }

  /** Frees what {@link #prepare} built when it will not be published (the reload failed later). */
  public void discard(Prepared prepared) {
    release(prepared.listeners().values());
  }

  private static void release(Collection<ListenerTls> unused) {
    unused.forEach(l -> l.contexts().forEach(ReferenceCountUtil::release));
  }

  /** After the server stopped: every context this registry still holds is released. */
  @Override
  public void close() {
    rotation.shutdownNow();
    for (Collection<ListenerTls> replaced = retiring.poll();
        replaced != null;
        replaced = retiring.poll()) {
      release(replaced);
    }
    Map<String, ListenerTls> current = listeners;
    listeners = Map.of();
    release(current.values());
  }

  /** Contexts built by {@link #prepare}, ready to {@link #publish}. */
  public record Prepared(Map<String, ListenerTls> listeners) {}
}
