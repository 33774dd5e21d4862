package dev.tpp.proxy.waf.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one FTW stage expects: response statuses (empty = any), rule ids that must / must not be
 * logged (go-ftw's {@code expect_ids} / {@code no_expect_ids}), regexes over the log lines (FTW 1's
 * {@code log_contains}, go-ftw's {@code match_regex}), or an error instead of a response.
 * Immutable.
 */
record FtwOutput(
    List<Integer> statuses,
    List<String> expectIds,
    List<String> noExpectIds,
    String logRegex,
    String noLogRegex,
    boolean expectError) {

  static final FtwOutput ANYTHING =
      new FtwOutput(List.of(), List.of(), List.of(), null, null, false);

  /** Parses an {@code output} map of either FTW layout; null = no expectation. */
  static FtwOutput of(Map<?, ?> output) {
    if (output == null) {
      return ANYTHING;
    }
    Map<?, ?> log = output.get("log") instanceof Map<?, ?> m ? m : Map.of();
    List<String> expect = ids(log.get("expect_ids"));
    if (log.get("expect_id") != null) {
      expect.add(String.valueOf(log.get("expect_id")));
    }
    return new FtwOutput(
        statuses(output.get("status")),
        expect,
        ids(log.get("no_expect_ids")),
        firstString(output.get("log_contains"), log.get("match_regex")),
        firstString(output.get("no_log_contains"), log.get("no_match_regex")),
        Boolean.TRUE.equals(output.get("expect_error")));
  }

  /**
   * Whether nothing here can fail: no status, no ids, no regex, no error expected (a pass would be
   * vacuous).
   */
  boolean checksNothing() {
    return statuses.isEmpty()
        && expectIds.isEmpty()
        && noExpectIds.isEmpty()
        && logRegex == null
        && noLogRegex == null
        && !expectError;
  }

  private static List<Integer> statuses(Object status) {
    List<Integer> statuses = new ArrayList<>();
    if (status instanceof List<?> l) {
      l.forEach(v -> statuses.add(((Number) v).intValue()));
    } else if (status instanceof Number n) {
      statuses.add(n.intValue());
    }
    return List.copyOf(statuses);
  }

  private static List<String> ids(Object ids) {
    List<String> out = new ArrayList<>();
    FtwTest.list(ids).forEach(id -> out.add(String.valueOf(id)));
    return out;
  }

  private static String firstString(Object a, Object b) {
    return a != null ? String.valueOf(a) : b != null ? String.valueOf(b) : null;
  }
}
