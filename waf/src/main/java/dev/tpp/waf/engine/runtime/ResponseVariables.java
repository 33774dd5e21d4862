package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.WafResponse;
import dev.tpp.waf.engine.seclang.Variable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The RESPONSE_* variables: empty in request phases, filled from the {@link WafResponse} in phases
 * 3-5 (RESPONSE_BODY only when the body was handed over for phase 4). Transaction thread only.
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

  private static List<KeyValue> headers(Transaction tx) {
    if (tx.responseHeaders == null) {
      List<KeyValue> out = new ArrayList<>(tx.response.headers().size());
      for (Map.Entry<String, String> h : tx.response.headers()) {
        out.add(new KeyValue(h.getKey(), h.getValue()));
      }
      tx.responseHeaders = out;
    }
    return tx.responseHeaders;
  }

  private static List<KeyValue> header(Transaction tx, String name) {
    for (KeyValue h : headers(tx)) {
      if (h.key().equalsIgnoreCase(name)) {
        return Variables.scalar(h.value());
      }
    }
    return List.of();
  }

  private static List<KeyValue> body(Transaction tx) {
    if (tx.response.body() == null) {
      return List.of();
    }
    if (tx.responseBody == null) {
      tx.responseBody = new String(tx.response.body(), StandardCharsets.ISO_8859_1);
    }
    return Variables.scalar(tx.responseBody);
  }
}
