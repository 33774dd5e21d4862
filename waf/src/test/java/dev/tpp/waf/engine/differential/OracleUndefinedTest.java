package dev.tpp.waf.engine.differential;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.waf.engine.WafRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OracleUndefinedTest {
  @Test
  void anUnterminatedQuotedValueRunsOffTheEnd() {
    assertTrue(
        OracleUndefined.quotedValueRunsOffTheEnd(" form-data; name=\"upload\"; filename=\"x"));
    assertTrue(OracleUndefined.quotedValueRunsOffTheEnd(" form-data; name='a"));
    assertTrue(OracleUndefined.quotedValueRunsOffTheEnd(" form-data; name=\"a\\\""));
  }

  @Test
  void closedOrUnquotedValuesAndEarlyErrorsAreDefined() {
    assertFalse(
        OracleUndefined.quotedValueRunsOffTheEnd(" form-data; name=\"a\"; filename=\"b.txt\""));
    assertFalse(OracleUndefined.quotedValueRunsOffTheEnd(" form-data; name=a; filename=b"));
    assertFalse(OracleUndefined.quotedValueRunsOffTheEnd(" form-data"));
    assertFalse(OracleUndefined.quotedValueRunsOffTheEnd(" form-data; name"));
    // a value ending in a lone backslash is an error the C code returns before reading on
    assertFalse(OracleUndefined.quotedValueRunsOffTheEnd(" form-data; name=\"a\\"));
    // text after a closed value that is not ';' is an error too
    assertFalse(OracleUndefined.quotedValueRunsOffTheEnd(" form-data; name=\"a\"x; filename=\"b"));
  }

  @Test
  void findsTheHeaderInjectionFilenameInAMultipartBody() {
    String body =
        "--B\r\nContent-Disposition: form-data; name=\"upload\"; filename=\"x\r\n"
            + "Location: http://evil.example/.txt\"\r\nContent-Type: text/plain\r\n\r\nx\r\n--B--\r\n";
    assertNotNull(OracleUndefined.reason(request("multipart/form-data; boundary=B", body)));
    assertNull(OracleUndefined.reason(request("text/plain", body)));
    String fine = body.replace("filename=\"x\r\n", "filename=\"x\"\r\n");
    assertNull(OracleUndefined.reason(request("multipart/form-data; boundary=B", fine)));
  }

  private static WafRequest request(String contentType, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
    return new WafRequest(
        "r1",
        "127.0.0.1",
        40000,
        "127.0.0.1",
        80,
        "POST",
        "/upload",
        "HTTP/1.1",
        List.of(Map.entry("Host", "x"), Map.entry("Content-Type", contentType)),
        bytes,
        null,
        bytes.length);
  }
}
