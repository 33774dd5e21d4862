package dev.tpp.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.channel.uring.IoUring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar picks its socket transport as a user sees it in the {@code event=started} line: io_uring
 * where the kernel allows it, epoll where io_uring is refused (run under a seccomp filter that
 * refuses it with EPERM, as Docker's default profile does), the one {@code -Dtpp.transport} names,
 * and a clear error for a name it does not know. Each serves a request.
 */
class TransportIT {
  static final String CONFIG =
      """
      listen: {address: 127.0.0.1, port: 0}
      admin: {address: 127.0.0.1, port: 0}
      workers: 1
      routes: [{path: /, return: {status: 200, body: "served"}}]
      """;
  static final Pattern STARTED =
      Pattern.compile("event=started transport=(\\S+) .* port=(\\d+) admin_address");
  static final List<String> NO_IO_URING =
      List.of(
          "python3",
          Path.of("target", "test-classes", "no-io-uring.py").toAbsolutePath().toString());

  @TempDir Path dir;
  private final AddressOverrideIT runner = new AddressOverrideIT();

  @AfterEach
  void stop() throws InterruptedException {
    runner.stop();
  }

  private BlockingQueue<String> start(List<String> launcher, List<String> jvmOptions)
      throws Exception {
    Path config = dir.resolve("proxy.yaml");
    Files.writeString(config, CONFIG);
    runner.dir = dir;
    return runner.start(launcher, jvmOptions, config, null, null);
  }

  /** The transport the started line names, after checking that the proxy serves on it. */
  private static String startedAndServing(BlockingQueue<String> log) throws Exception {
    Matcher started = AddressOverrideIT.awaitLine(log, STARTED);
    var response = AddressOverrideIT.get("http://127.0.0.1:" + started.group(2) + "/");
    assertEquals(200, response.statusCode());
    assertEquals("served", response.body());
    return started.group(1);
  }

  @Test
  void ioUringWhereTheKernelAllowsIt() throws Exception {
    assumeTrue(IoUring.isAvailable(), "io_uring is not available to this JVM either");
    assertEquals("io_uring", startedAndServing(start(List.of(), List.of())));
  }

  @Test
  void epollWhereIoUringIsRefused() throws Exception {
    BlockingQueue<String> log = start(NO_IO_URING, List.of());
    Matcher refused =
        AddressOverrideIT.awaitLine(
            log,
            Pattern.compile("event=transport_unavailable transport=io_uring fallback=epoll .*"));
    assertTrue(refused.group().contains("Operation not permitted"), refused.group());
    assertEquals("epoll", startedAndServing(log));
  }

  @Test
  void theTransportAskedFor() throws Exception {
    assertEquals("nio", startedAndServing(start(List.of(), List.of("-Dtpp.transport=nio"))));
    runner.stop();
    assertEquals("epoll", startedAndServing(start(List.of(), List.of("-Dtpp.transport=epoll"))));
  }

  @Test
  void anUnknownTransportIsAnErrorNamingTheProperty() throws Exception {
    BlockingQueue<String> log = start(List.of(), List.of("-Dtpp.transport=kqueue"));
    AddressOverrideIT.awaitLine(
        log,
        Pattern.compile(
            "tpp.transport: unknown transport \"kqueue\" \\(io_uring, epoll or nio\\)"));
    assertTrue(runner.proxy.waitFor(30, TimeUnit.SECONDS), "the proxy exits");
    assertTrue(runner.proxy.exitValue() != 0, "with a failure status");
  }
}
