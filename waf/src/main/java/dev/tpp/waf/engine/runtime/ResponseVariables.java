package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.WafResponse;
import dev.tpp.waf.engine.seclang.Variable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The RESPONSE_* variables: empty in request phases, filled from the {@link WafResponse} in phases
 * 3-5 (RESPONSE_BODY only when the body was handed over for phase 4: its first {@code
 * SecResponseBodyLimit} bytes, from memory or read from the spool file). Transaction thread only.
 */
final class ResponseVariables {
  private ResponseVariables() {}

  static List<KeyValue> values(Variable variable, Transaction tx) {
    WafResponse r = tx.response;
    if (r == null) {
      return List.of();
    }
    switch (variable) {
      case RESPONSE_STATUS:
        return Variables.scalar(Integer.toString(r.status()));
      case RESPONSE_PROTOCOL:
        return Variables.scalar(r.protocol());
      case RESPONSE_HEADERS:
        return headers(tx);
      case RESPONSE_HEADERS_NAMES:
        return Variables.names(headers(tx));
      case RESPONSE_CONTENT_TYPE:
        return header(tx, "Content-Type");
      case RESPONSE_CONTENT_LENGTH:
        return r.bodyLength() >= 0
            ? Variables.scalar(Long.toString(r.bodyLength()))
            : header(tx, "Content-Length");
      case RESPONSE_BODY:
        return body(tx);
      default:
        return List.of();
    }
  }

  /** The response values() found; headers and body are read only after that check. */
  private static WafResponse response(Transaction tx) {
    return Objects.requireNonNull(tx.response, "tx.response: values() returns early without one");
  }

  private static List<KeyValue> headers(Transaction tx) {
    if (tx.responseHeaders == null) {
      WafResponse response = response(tx);
      List<KeyValue> out = new ArrayList<>(response.headers().size());
      for (Map.Entry<String, String> h : response.headers()) {
        out.add(new KeyValue(h.getKey(), h.getValue()));
      }
      tx.responseHeaders = out;
    }
    return tx.responseHeaders;
  }

  private static List<KeyValue> header(Transaction tx, String name) {
    for (KeyValue h : headers(tx)) {
      if (name.equalsIgnoreCase(h.key())) {
        return Variables.scalar(h.value());
      }
    }
    return List.of();
  }

  private static List<KeyValue> body(Transaction tx) {
    if (!response(tx).hasBody()) {
      return List.of();
    }
    if (tx.responseBody == null) {
      tx.responseBody = text(response(tx), tx.ruleSet.response().policy().bodyLimit());
    }
    return Variables.scalar(tx.responseBody);
  }

  /** The first {@code limit} bytes of the body as ISO-8859-1 text (one char per byte). */
  private static String text(WafResponse r, long limit) {
    if (r.body() != null) {
      int n = (int) Math.min(limit, r.body().length);
      return new String(r.body(), 0, n, StandardCharsets.ISO_8859_1);
    }
    try (FileChannel file = FileChannel.open(r.bodyFile())) {
      ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(limit, file.size()));
      while (bytes.hasRemaining() && file.read(bytes) >= 0) {
        // until the limit or the end of the file
      }
      return new String(bytes.array(), 0, bytes.position(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spooled response body " + r.bodyFile(), e);
    }
  }
}
