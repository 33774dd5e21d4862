package dev.tpp.waf.engine.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a request-body processor extracted. Filled by one processor on the transaction's thread. */
final class BodyData {
  String processor = "";
  String raw = "";
  final List<KeyValue> args = new ArrayList<>();
  final List<KeyValue> files = new ArrayList<>();
  final List<KeyValue> fileSizes = new ArrayList<>();
  final List<KeyValue> partHeaders = new ArrayList<>();
  final Map<String, Integer> multipartFlags = new LinkedHashMap<>();
  final List<String> xmlText = new ArrayList<>();
  final List<String> xmlAttributes = new ArrayList<>();
  String multipartName = "";
  String multipartFilename = "";
  boolean error;
  String errorMessage = "";

  void fail(String message) {
    if (!error) {
      error = true;
      errorMessage = message;
    }
  }

  void flag(String name) {
    multipartFlags.put(name, 1);
  }

  long filesCombinedSize() {
    long total = 0;
    for (KeyValue kv : fileSizes) {
      total += Long.parseLong(kv.value());
    }
    return total;
  }
}
