package dev.tpp.waf.engine.seclang;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed rule-id selector ({@code 942100}, {@code 942100-942199}, several separated by spaces or
 * commas), as SecRuleRemoveById and {@code ctl:ruleRemoveById} take it. Immutable; parse once, test
 * many rules.
 */
public record IdRange(List<String> literals, int[] from, int[] to) {

  public static IdRange parse(String spec) {
    List<String> literals = new ArrayList<>();
    List<int[]> ranges = new ArrayList<>();
    for (String part : spec.split("[\\s,]+")) {
      if (part.isEmpty()) {
        continue;
      }
      int dash = part.indexOf('-', 1);
      try {
        if (dash > 0) {
          ranges.add(
              new int[] {
                Integer.parseInt(part.substring(0, dash)),
                Integer.parseInt(part.substring(dash + 1))
              });
        } else {
          literals.add(part);
        }
      } catch (NumberFormatException e) {
        literals.add(part); // not a numeric range: compared literally
      }
    }
    int[] from = new int[ranges.size()];
    int[] to = new int[ranges.size()];
    for (int i = 0; i < ranges.size(); i++) {
      from[i] = ranges.get(i)[0];
      to[i] = ranges.get(i)[1];
    }
    return new IdRange(List.copyOf(literals), from, to);
  }

  public boolean matches(Rule rule) {
    if (rule.isMarker()) {
      return false;
    }
    if (literals.contains(rule.meta().id())) {
      return true;
    }
    int id = rule.meta().numericId();
    for (int i = 0; i < from.length; i++) {
      if (id >= from[i] && id <= to[i]) {
        return true;
      }
    }
    return false;
  }
}
