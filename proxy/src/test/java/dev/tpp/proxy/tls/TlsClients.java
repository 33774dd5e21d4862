package dev.tpp.proxy.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real TLS clients a user has: curl and {@code openssl s_client}, run as processes against
 * loopback.
 */
final class TlsClients {
  private TlsClients() {}

  /**
   * {@code curl} over https to {@code name:port} pinned to 127.0.0.1; returns "STATUS BODY" ("000
   * ..." on failure).
   */
  static String curl(String name, int port, String path, Path caCert, String... extra)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "curl",
                "-sS",
                "--max-time",
                "10",
                "--cacert",
                caCert.toString(),
                "--resolve",
                name + ":" + port + ":127.0.0.1",
                "-w",
                "\n%{http_code}"));
    cmd.addAll(List.of(extra));
    cmd.add("https://" + name + ":" + port + path);
    String out = run(cmd).trim();
    int nl = out.lastIndexOf('\n');
    return out.substring(nl + 1) + " " + (nl < 0 ? "" : out.substring(0, nl));
  }

  /**
   * {@code openssl s_client} to 127.0.0.1:{@code port} with SNI {@code name}; sends {@code request}
   * (empty: none, hang up after the handshake). Output includes "New,"/"Reused," and the subject.
   */
  static String sClient(int port, String name, String request, String... extra)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-servername", name));
    if (!request.isEmpty()) {
      cmd.add(
          "-ign_eof"); // read on until the server closes (the request says Connection: close): the
      // ticket arrives
    }
    cmd.addAll(List.of(extra));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }

  /**
   * The serial number of the certificate the server presents for {@code name}, as {@code openssl
   * x509} prints it.
   */
  static String servedSerial(int port, String name) throws IOException, InterruptedException {
    String out = sClient(port, name, "", "-showcerts");
    int begin = out.indexOf("-----BEGIN CERTIFICATE-----");
    int end = out.indexOf("-----END CERTIFICATE-----");
    if (begin < 0 || end < 0) {
      return "no certificate: " + out;
    }
    Process p =
        new ProcessBuilder("openssl", "x509", "-noout", "-serial")
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().write(out.substring(begin, end + 25).getBytes(StandardCharsets.US_ASCII));
    p.getOutputStream().close();
    String serial = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
    p.waitFor(10, TimeUnit.SECONDS);
    return serial;
  }

  static String serialOf(Path cert) throws IOException, InterruptedException {
    return run(List.of("openssl", "x509", "-noout", "-serial", "-in", cert.toString())).trim();
  }

  private static String run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
    }
    return out;
  }
}
