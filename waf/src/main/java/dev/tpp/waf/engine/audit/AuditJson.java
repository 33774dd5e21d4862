package dev.tpp.waf.engine.audit;

import dev.tpp.waf.engine.RuleMatch;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Renders an {@link AuditRecord} as one line of JSON in libmodsecurity3's shape ({@code
 * Transaction::toJSON}): a {@code transaction} object with client_ip, time_stamp, server_id,
 * client_port, host_ip, host_port, unique_id, request (method, http_version, uri; body with part C,
 * headers with part B), response (body with part E, http_code, headers with part F), and with part
 * H producer and messages[] (message, details: match, reference, ruleId, file, lineNumber, data,
 * severity, ver, rev, tags, maturity, accuracy). Bodies are decoded as UTF-8. Stateless; any
 * thread.
 */
public final class AuditJson {
  private static final DateTimeFormatter ASCTIME =
      DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ENGLISH);
  private static final Pattern NUMBER = Pattern.compile("\\d+(\\.\\d+)?");

  private AuditJson() {}

  /**
   * One record, newline-terminated; {@code serverId} names this proxy (libmodsecurity3 writes a
   * host hash).
   */
  public static String render(AuditRecord r, AuditPolicy policy, String serverId) {
    StringBuilder b = new StringBuilder(1024).append("{\"transaction\":{");
    field(b, "client_ip", r.request().remoteAddr()).append(',');
    field(
        b,
        "time_stamp",
        ASCTIME.format(Instant.ofEpochMilli(r.timeMillis()).atZone(ZoneId.systemDefault())));
    field(b.append(','), "server_id", serverId)
        .append(",\"client_port\":")
        .append(r.request().remotePort());
    field(b.append(','), "host_ip", r.request().serverAddr())
        .append(",\"host_port\":")
        .append(r.request().serverPort());
    field(b.append(','), "unique_id", r.request().id()).append(",\"request\":{");
    field(b, "method", r.request().method()).append(",\"http_version\":");
    String version = r.request().protocol().replaceFirst("^HTTP/", "");
    if (NUMBER.matcher(version).matches()) {
      b.append(version);
    } else {
      string(b, version);
    }
    field(b.append(','), "uri", r.request().uri());
    if (policy.part('C')) {
      field(b.append(','), "body", utf8(r.request().body()));
    }
    if (policy.part('B')) {
      headers(b.append(','), r.request().headers());
    }
    b.append("},\"response\":{");
    if (policy.part('E')) {
      field(b, "body", utf8(r.responseBody())).append(',');
    }
    b.append("\"http_code\":").append(r.status());
    if (policy.part('F')) {
      headers(b.append(','), r.responseHeaders());
    }
    b.append('}');
    if (policy.part('H')) {
      producerAndMessages(b, r);
    }
    return b.append("}}\n").toString();
  }

  private static void producerAndMessages(StringBuilder b, AuditRecord r) {
    b.append(",\"producer\":{");
    field(b, "modsecurity", "tpp-waf (ModSecurity-compatible SecLang engine)").append(',');
    field(b, "connector", "ThreadPoolProxy").append(',');
    field(b, "secrules_engine", r.engineState()).append(",\"components\":");
    strings(b, r.components());
    b.append("},\"messages\":[");
    for (int i = 0; i < r.matches().size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      message(b, r.matches().get(i));
    }
    b.append(']');
  }

  private static void message(StringBuilder b, RuleMatch m) {
    MatchDetails d =
        m.details() != null
            ? m.details()
            : new MatchDetails(
                "", "", 0, MatchDetails.severityNumber(m.severity()), "", "", List.of(), "0", "0");
    b.append('{');
    field(b, "message", m.message()).append(",\"details\":{");
    field(b, "match", d.match()).append(',');
    field(b, "reference", "").append(',');
    field(b, "ruleId", m.ruleId()).append(',');
    field(b, "file", d.file()).append(',');
    field(b, "lineNumber", Integer.toString(d.line())).append(',');
    field(b, "data", m.data()).append(',');
    field(b, "severity", Integer.toString(d.severity())).append(',');
    field(b, "ver", d.ver()).append(',');
    field(b, "rev", d.rev()).append(",\"tags\":");
    strings(b, d.tags());
    field(b.append(','), "maturity", d.maturity()).append(',');
    field(b, "accuracy", d.accuracy()).append("}}");
  }

  /**
   * Headers as an object, in arrival order; a repeated header repeats its key, as libmodsecurity3
   * writes it.
   */
  private static void headers(StringBuilder b, List<Map.Entry<String, String>> headers) {
    b.append("\"headers\":{");
    for (int i = 0; i < headers.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      field(b, headers.get(i).getKey(), headers.get(i).getValue());
    }
    b.append('}');
  }

  private static void strings(StringBuilder b, List<String> values) {
    b.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      string(b, values.get(i));
    }
    b.append(']');
  }

  private static StringBuilder field(StringBuilder b, String name, String value) {
    string(b, name);
    b.append(':');
    string(b, value == null ? "" : value);
    return b;
  }

  private static String utf8(byte @Nullable [] body) {
    return body == null ? "" : new String(body, StandardCharsets.UTF_8);
  }

  /**
   * A JSON string: quotes, backslashes and control characters escaped, so no value can break the
   * line.
   */
  static void string(StringBuilder b, String s) {
    b.append('"');
    JsonStrings.appendEscaped(b, s);
    b.append('"');
  }
}
