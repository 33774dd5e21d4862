package dev.tpp.proxy.tls;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.SslContext;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * Session-ticket keys shared by every TLS context of the process (so every worker and every
 * certificate accepts a ticket that another issued), rotated by {@link #rotate}: the newest key
 * encrypts new tickets, the {@value #KEPT} before it still decrypt, so a ticket outlives its key's
 * retirement by up to {@code KEPT} rotation periods. The keys live in memory only: a restarted
 * process (or another pod) makes clients do a full handshake once. Thread-safe.
 */
final class TicketKeys {
  static final int KEPT = 2;
  private final SecureRandom random = new SecureRandom();
  private final List<OpenSslSessionTicketKey> keys = new ArrayList<>();

  TicketKeys() {
    keys.add(newKey());
  }

  /** A new encryption key; the oldest beyond {@link #KEPT} is dropped. */
  synchronized void rotate() {
    keys.add(0, newKey());
    while (keys.size() > KEPT + 1) {
      keys.remove(keys.size() - 1);
    }
  }

  /** Installs the current keys in {@code context} (enables tickets on it). */
  synchronized void applyTo(SslContext context) {
    if (context instanceof ReferenceCountedOpenSslContext openSsl) {
      openSsl.sessionContext().setTicketKeys(keys.toArray(OpenSslSessionTicketKey[]::new));
    }
  }

  private OpenSslSessionTicketKey newKey() {
    byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
    byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
    byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
    random.nextBytes(name);
    random.nextBytes(hmac);
    random.nextBytes(aes);
    return new OpenSslSessionTicketKey(name, hmac, aes);
  }
}
