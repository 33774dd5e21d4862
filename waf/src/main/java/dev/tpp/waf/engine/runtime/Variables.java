package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.seclang.Variable;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Produces the values of one SecLang variable for a transaction: keyed collections as (name, value)
 * pairs, scalars as one pair with a null key. Called on the transaction's thread; reads only that
 * transaction.
 */
final class Variables {
  private Variables() {}

  static List<KeyValue> values(Variable variable, Transaction tx) {
    switch (variable) {
      case ARGS:
        return tx.args();
      case ARGS_GET:
        return tx.argsGet;
      case ARGS_POST:
        return tx.body.args;
      case ARGS_NAMES:
        return tx.argsNames();
      case ARGS_GET_NAMES:
        return names(tx.argsGet);
      case ARGS_POST_NAMES:
        return names(tx.body.args);
      case ARGS_COMBINED_SIZE:
        return scalar(combinedSize(tx.args()));
      case REQUEST_HEADERS:
        return tx.headers;
      case REQUEST_HEADERS_NAMES:
        return names(tx.headers);
      case REQUEST_COOKIES:
        return tx.cookies;
      case REQUEST_COOKIES_NAMES:
        return names(tx.cookies);
      case REQUEST_URI:
        return scalar(tx.line.uri());
      case REQUEST_URI_RAW:
        return scalar(tx.line.uriRaw());
      case REQUEST_FILENAME:
        return scalar(tx.line.path());
      case REQUEST_BASENAME:
        return scalar(tx.line.basename());
      case REQUEST_LINE:
        return scalar(tx.line.line());
      case REQUEST_METHOD:
        return scalar(tx.request.method());
      case REQUEST_PROTOCOL:
        return scalar(tx.request.protocol());
      case QUERY_STRING:
        return scalar(tx.line.query());
      // ModSecurity's reference manual: only the URLENCODED processor fills it, or
      // ctl:forceRequestBodyVariable
      case REQUEST_BODY:
        return tx.body.processor.equals("URLENCODED") || tx.forceBodyVariable
            ? scalar(tx.body.raw)
            : List.of();
      case REQUEST_BODY_LENGTH:
        return scalar(Integer.toString(tx.body.raw.length()));
      case REQBODY_ERROR, REQBODY_PROCESSOR_ERROR:
        return scalar(tx.body.error ? "1" : "0");
      case REQBODY_ERROR_MSG, REQBODY_PROCESSOR_ERROR_MSG:
        return scalar(tx.body.errorMessage);
      case REQBODY_PROCESSOR:
        return processor(tx);
      case FILES:
        return tx.body.files;
      case FILES_NAMES:
        return keysAsValues(tx.body.files);
      case FILES_SIZES:
        return tx.body.fileSizes;
      case FILES_COMBINED_SIZE:
        return scalar(Long.toString(tx.body.filesCombinedSize()));
      case FILES_TMPNAMES, FILES_TMP_CONTENT:
        return List.of();
      case MULTIPART_PART_HEADERS:
        return tx.body.partHeaders;
      case MULTIPART_FILENAME:
        return scalar(tx.body.multipartFilename);
      case MULTIPART_NAME:
        return scalar(tx.body.multipartName);
      case MATCHED_VAR:
        return scalar(tx.matchedVar);
      case MATCHED_VAR_NAME:
        return scalar(tx.matchedVarName);
      case MATCHED_VARS:
        return tx.matchedVars;
      case MATCHED_VARS_NAMES:
        return keysAsValues(tx.matchedVars);
      case REMOTE_ADDR:
        return scalar(nz(tx.request.remoteAddr()));
      case REMOTE_HOST:
        return scalar(nz(tx.request.remoteAddr()));
      case REMOTE_PORT:
        return scalar(Integer.toString(tx.request.remotePort()));
      case SERVER_ADDR:
        return scalar(nz(tx.request.serverAddr()));
      case SERVER_NAME:
        return scalar(serverName(tx));
      case SERVER_PORT:
        return scalar(Integer.toString(tx.request.serverPort()));
      case UNIQUE_ID:
        return scalar(nz(tx.request.id()));
      case DURATION:
        return scalar(Long.toString((System.nanoTime() - tx.startNanos) / 1000));
      case XML:
        return xml(tx);
      case RULE:
        return RuleCollection.of(tx);
      case TX, IP, GLOBAL, SESSION, USER, RESOURCE:
        return collection(tx.collection(variable));
      case RESPONSE_STATUS,
      RESPONSE_PROTOCOL,
      RESPONSE_HEADERS,
      RESPONSE_HEADERS_NAMES,
      RESPONSE_CONTENT_TYPE,
      RESPONSE_CONTENT_LENGTH,
      RESPONSE_BODY:
        return ResponseVariables.values(variable, tx);
      case TIME,
      TIME_EPOCH,
      TIME_YEAR,
      TIME_MON,
      TIME_DAY,
      TIME_HOUR,
      TIME_MIN,
      TIME_SEC,
      TIME_WDAY:
        return scalar(time(variable));
      default:
        return other(variable, tx);
    }
  }

  /**
   * The body processor: the one that ran, else (phase 1) the one that will run, as ModSecurity
   * knows it from the headers before phase 1 (and from its recommended rules 200000/200001 for XML
   * and JSON).
   */
  private static List<KeyValue> processor(Transaction tx) {
    String p = tx.body.processor;
    if (p.isEmpty()) {
      p =
          tx.bodyProcessor != null
              ? tx.bodyProcessor
              : BodyProcessors.byContentType(tx.header("Content-Type"));
    }
    return scalar(p); // "" without one, as ModSecurity v2: CRS 901340 forces REQUEST_BODY on that
  }

  /** The values of {@code variable} under one plain key; a map lookup for TX-like collections. */
  static List<KeyValue> keyed(Variable variable, String key, Transaction tx) {
    if (!variable.isStore()) {
      return values(variable, tx);
    }
    String lower = key.toLowerCase(Locale.ROOT);
    String v = tx.collection(variable).get(lower);
    return v == null ? List.of() : List.of(new KeyValue(lower, v));
  }

  /**
   * The MULTIPART_* flags (by the name the body processor set them under), then the variables
   * nothing fills.
   */
  private static List<KeyValue> other(Variable variable, Transaction tx) {
    String name = variable.name();
    if (name.startsWith("MULTIPART_")) {
      Integer flag = tx.body.multipartFlags.get(name);
      return scalar(flag == null ? "0" : Integer.toString(flag));
    }
    if (variable == Variable.INBOUND_DATA_ERROR || variable == Variable.URLENCODED_ERROR) {
      return scalar("0");
    }
    return List.of(); // ENV, GEO and the other variables nothing fills
  }

  private static List<KeyValue> xml(Transaction tx) {
    List<KeyValue> out = new ArrayList<>();
    for (String t : tx.body.xmlText) {
      out.add(new KeyValue("/*", t));
    }
    for (String a : tx.body.xmlAttributes) {
      out.add(new KeyValue("//@*", a));
    }
    return out;
  }

  static String serverName(Transaction tx) {
    String host = tx.header("Host");
    if (host == null) {
      return nz(tx.request.serverAddr());
    }
    int colon = host.lastIndexOf(':');
    return colon > 0 && !host.endsWith("]") ? host.substring(0, colon) : host;
  }

  private static String time(Variable variable) {
    LocalDateTime now = LocalDateTime.now();
    return switch (variable) {
      case TIME_EPOCH -> Long.toString(System.currentTimeMillis() / 1000);
      case TIME_YEAR -> Integer.toString(now.getYear());
      case TIME_MON -> Integer.toString(now.getMonthValue());
      case TIME_DAY -> Integer.toString(now.getDayOfMonth());
      case TIME_HOUR -> Integer.toString(now.getHour());
      case TIME_MIN -> Integer.toString(now.getMinute());
      case TIME_SEC -> Integer.toString(now.getSecond());
      case TIME_WDAY -> Integer.toString(now.getDayOfWeek().getValue() % 7);
      default -> String.format("%02d:%02d:%02d", now.getHour(), now.getMinute(), now.getSecond());
    };
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  static List<KeyValue> scalar(String v) {
    return List.of(new KeyValue(null, v));
  }

  static List<KeyValue> concat(List<KeyValue> a, List<KeyValue> b) {
    if (b.isEmpty()) {
      return a;
    }
    if (a.isEmpty()) {
      return b;
    }
    List<KeyValue> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @SuppressWarnings("NullAway") // names are taken of collections, whose entries all have keys
  static List<KeyValue> names(List<KeyValue> in) {
    List<KeyValue> out = new ArrayList<>(in.size());
    for (KeyValue kv : in) {
      out.add(new KeyValue(kv.key(), kv.key()));
    }
    return out;
  }

  private static List<KeyValue> keysAsValues(List<KeyValue> in) {
    return names(in);
  }

  private static String combinedSize(List<KeyValue> args) {
    long n = 0;
    for (KeyValue kv : args) {
      n +=
          Objects.requireNonNull(kv.key(), "ARGS entries have keys").length() + kv.value().length();
    }
    return Long.toString(n);
  }

  private static List<KeyValue> collection(Map<String, String> map) {
    List<KeyValue> out = new ArrayList<>(map.size());
    for (Map.Entry<String, String> e : map.entrySet()) {
      out.add(new KeyValue(e.getKey(), e.getValue()));
    }
    return out;
  }
}
