package dev.tpp.proxy.waf.conformance;

import java.util.List;
import java.util.regex.Pattern;

/** Checks one FTW stage's expectations against what the proxy answered and logged. Pure. */
final class Expectations {
  private Expectations() {}

  /** Null when the stage passed, else what was wrong. */
  static String check(FtwTest.Stage stage, CrsConformanceIT.Outcome outcome, List<String> lines) {
    if (stage.expectError()) {
      return outcome.error() || outcome.status() == 400 ? null : "expected an error, got " + outcome.status();
    }
    if (!stage.statuses().isEmpty() && !stage.statuses().contains(outcome.status())) {
      return "status " + outcome.status() + ", expected " + stage.statuses();
    }
    if (stage.logContains() != null && !anyMatch(stage.logContains(), lines)) {
      return "log lacks /" + stage.logContains() + "/";
    }
    if (stage.noLogContains() != null && anyMatch(stage.noLogContains(), lines)) {
      return "log has /" + stage.noLogContains() + "/";
    }
    return null;
  }

  private static boolean anyMatch(String regex, List<String> lines) {
    Pattern p = Pattern.compile(regex);
    return lines.stream().anyMatch(l -> p.matcher(l).find());
  }
}
