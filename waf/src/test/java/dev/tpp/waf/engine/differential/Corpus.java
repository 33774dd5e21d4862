package dev.tpp.waf.engine.differential;

import dev.tpp.waf.engine.WafRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The differential corpus: requests in a fixed order, each with an id ({@code r0}, {@code r1}, ...;
 * libmodsecurity's UNIQUE_ID too) and a source label that groups the figures ("crs-4.28.0 942100",
 * "benign form", "attack json"). Built by one thread, then read-only.
 */
final class Corpus {
  /** One request and where it came from. */
  record Entry(String source, WafRequest request) {}

  private final List<Entry> entries = new ArrayList<>();

  /** Adds the request {@code factory} builds for the next id. */
  void add(String source, Function<String, WafRequest> factory) {
    entries.add(new Entry(source, factory.apply("r" + entries.size())));
  }

  List<Entry> entries() {
    return entries;
  }

  List<WafRequest> requests() {
    return entries.stream().map(Entry::request).toList();
  }

  int size() {
    return entries.size();
  }
}
