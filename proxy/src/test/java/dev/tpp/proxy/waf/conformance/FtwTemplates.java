package dev.tpp.proxy.waf.conformance;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one go-ftw data template CRS's tests use (Go {@code text/template} with sprig): {@code {{ "x"
 * | repeat N }}}, for bodies too large to write out. Anything else in braces is left as it is.
 * Pure.
 */
final class FtwTemplates {
  private static final Pattern REPEAT =
      Pattern.compile("\\{\\{\\s*\"([^\"]*)\"\\s*\\|\\s*repeat\\s+(\\d+)\\s*}}");

  private FtwTemplates() {}

  static String expand(String data) {
    if (!data.contains("{{")) {
      return data;
    }
    Matcher m = REPEAT.matcher(data);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
    }
    return m.appendTail(out).toString();
  }
}
