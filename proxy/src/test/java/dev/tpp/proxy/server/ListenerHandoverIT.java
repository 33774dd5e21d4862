package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigLoader;
import dev.tpp.proxy.testing.TestProxy;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Why listening sockets are re-homed rather than replaced on a {@code workers} change, measured:
 * the kernel resets the connections queued on a SO_REUSEPORT listener that closes; re-homing under
 * connection churn resets none.
 */
class ListenerHandoverIT {

  static String config(int workers, boolean reusePort) {
    return TestProxy.withEphemeralPorts(
        """
        workers: %d
        accept: {reusePort: %s}
        shutdownTimeout: 5s
        routes: [{path: /, return: {status: 200, body: ok}}]
        """
            .formatted(workers, reusePort));
  }

  @Test
  void workersAndAcceptChangesUnderConnectionChurnResetNothing() throws Exception {
    int[] workers = {3, 2, 1, 3, 1, 2, 3, 2, 1, 2, 3, 1};
    try (TestProxy proxy = TestProxy.start(config(1, true))) {
      // The churn stops when the reloads end (close); its 120 s deadline is only a backstop for a
      // loaded machine.
      KeepaliveLoad churn = new KeepaliveLoad(proxy.port(), "/", Set.of("ok"), 4, 120_000, true);
      try (churn) {
        for (int i = 0; i < workers.length; i++) {
          long served = churn.ok.get();
          proxy.server().reload(ConfigLoader.parse(config(workers[i], i % 3 != 2), Path.of(".")));
          assertTrue(
              Poll.millisUntil(5000, () -> churn.ok.get() >= served + 100) >= 0, "churn goes on");
        }
      }
      System.out.printf(
          "ListenerHandoverIT summary: reloads=%d new connections=%d ok=%d failed=%d "
              + "closed-before-response=%d%n",
          workers.length,
          churn.sent.get(),
          churn.ok.get(),
          churn.failures.size(),
          churn.closedBeforeResponse.get());
      assertTrue(churn.failures.isEmpty(), "failed: " + churn.failures);
      assertEquals(0, churn.closedBeforeResponse.get());
    }
  }

  /**
   * The kernel fact the design rests on (skipped where net.ipv4.tcp_migrate_req = 1 migrates the
   * queue).
   */
  @Test
  void closingAReusePortListenerResetsTheConnectionsInItsQueue() throws Exception {
    Path migrate = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
    Assumptions.assumeTrue(Files.exists(migrate) && Files.readString(migrate).trim().equals("0"));
    try (ServerSocketChannel a = reusePortListener(0)) {
      int port = ((InetSocketAddress) a.getLocalAddress()).getPort();
      List<Socket> clients = new ArrayList<>();
      int reset = 0;
      try (ServerSocketChannel b = reusePortListener(port)) {
        for (int i = 0; i < 32; i++) { // nobody accepts: the kernel spreads them over both queues
          Socket c = new Socket();
          c.connect(new InetSocketAddress("127.0.0.1", port), 2000);
          c.setSoTimeout(2000);
          clients.add(c);
        }
        a.close();
        for (Socket c : clients) {
          if (wasReset(c)) {
            reset++;
          }
        }
      } finally {
        for (Socket c : clients) {
          c.close();
        }
      }
      System.out.printf(
          "ListenerHandoverIT: closing one of two SO_REUSEPORT listeners reset %d of 32 queued "
              + "connections%n",
          reset);
      assertTrue(reset > 0, "expected the closed listener's queue to be reset");
    }
  }

  private static ServerSocketChannel reusePortListener(int port) throws IOException {
    ServerSocketChannel ch = ServerSocketChannel.open();
    ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    ch.bind(new InetSocketAddress("127.0.0.1", port), 64);
    return ch;
  }

  /**
   * A queued connection whose listener closed reads a reset; one still queued on the open listener
   * times out.
   */
  private static boolean wasReset(Socket c) throws IOException {
    try {
      InputStream in = c.getInputStream();
      c.setSoTimeout(50);
      return in.read() < 0;
    } catch (SocketException e) {
      return true;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    }
  }
}
