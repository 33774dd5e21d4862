package dev.tpp.proxy.waf.conformance;

import java.util.List;
import java.util.regex.Pattern;

/** Checks one FTW stage's expectations against what the proxy answered and logged. Pure. */
final class Expectations {
  private static final Pattern RULE = Pattern.compile("event=waf_match id=\\S+ rule=(\\d+) ");

  private Expectations() {}

  /** Null when the stage passed, else what was wrong. */
  static String check(FtwOutput expected, CrsConformanceIT.Outcome outcome, List<String> lines) {
    if (expected.expectError()) {
      return outcome.error() || outcome.status() == 400
          ? null
          : "expected an error, got " + outcome.status();
    }
    if (!expected.statuses().isEmpty() && !expected.statuses().contains(outcome.status())) {
      return "status " + outcome.status() + ", expected " + expected.statuses();
    }
    List<String> ids =
        lines.stream().map(RULE::matcher).filter(m -> m.find()).map(m -> m.group(1)).toList();
    for (String id : expected.expectIds()) {
      if (!ids.contains(id)) {
        return "rule " + id + " not logged (logged: " + ids + ")";
      }
    }
    for (String id : expected.noExpectIds()) {
      if (ids.contains(id)) {
        return "rule " + id + " logged";
      }
    }
    if (expected.logRegex() != null && !anyMatch(expected.logRegex(), lines)) {
      return "log lacks /" + expected.logRegex() + "/";
    }
    if (expected.noLogRegex() != null && anyMatch(expected.noLogRegex(), lines)) {
      return "log has /" + expected.noLogRegex() + "/";
    }
    return null;
  }

  private static boolean anyMatch(String regex, List<String> lines) {
    Pattern p = Pattern.compile(regex);
    return lines.stream().anyMatch(l -> p.matcher(l).find());
  }
}
