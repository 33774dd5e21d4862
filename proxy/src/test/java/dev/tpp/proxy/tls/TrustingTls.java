package dev.tpp.proxy.tls;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A JDK TLS client that trusts any certificate (tests only), for a connection kept open across a
 * rotation.
 */
public final class TrustingTls {
  private TrustingTls() {}

  static SSLSocket connect(int port, String serverName)
      throws IOException, GeneralSecurityException {
    SSLSocket socket = (SSLSocket) context().getSocketFactory().createSocket("127.0.0.1", port);
    SSLParameters params = socket.getSSLParameters();
    params.setServerNames(List.of(new SNIHostName(serverName)));
    socket.setSSLParameters(params);
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    return socket;
  }

  /**
   * A client context that accepts any server certificate (for java.net.http clients in tests too).
   */
  public static SSLContext context() throws GeneralSecurityException {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        null,
        new TrustManager[] {
          new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
              return new X509Certificate[0];
            }
          }
        },
        null);
    return context;
  }

  /** One keepalive GET on {@code socket}; returns the response head and a body of known length. */
  static String get(SSLSocket socket, String path) throws IOException {
    socket
        .getOutputStream()
        .write(
            ("GET " + path + " HTTP/1.1\r\nHost: site.test\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int at = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length: ");
    int length =
        at < 0 ? 0 : Integer.parseInt(text.substring(at + 16, text.indexOf("\r\n", at)).trim());
    return text + new String(in.readNBytes(length), StandardCharsets.US_ASCII);
  }
}
