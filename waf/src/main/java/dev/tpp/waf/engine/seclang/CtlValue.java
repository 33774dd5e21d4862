package dev.tpp.waf.engine.seclang;

import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The parsed value of a {@code ctl} action: parsed once when the rule is built, or per match when
 * the value holds a macro ({@code %{...}}). Immutable; shared by pool threads.
 *
 * @param text the value as written (the tag for the ByTag options, the processor name upper-cased)
 * @param ids the rule ids of ruleRemoveById / ruleRemoveTargetById, else null
 * @param targets the targets of ruleRemoveTargetBy*, else empty
 * @param on the boolean of requestBodyAccess / responseBodyAccess / forceRequestBodyVariable
 * @param mode ruleEngine's value: On, Off or DetectionOnly
 */
public record CtlValue(
    String text, @Nullable IdRange ids, List<Target> targets, boolean on, @Nullable String mode) {

  public CtlValue {
    targets = List.copyOf(targets);
  }

  /**
   * Parses {@code value} for {@code option}; throws IllegalArgumentException saying what was
   * expected.
   */
  public static CtlValue parse(CtlOption option, String value) {
    String v = value.strip();
    return switch (option) {
      case RULE_ENGINE -> new CtlValue(v, null, List.of(), false, engineMode(v));
      case RULE_REMOVE_BY_ID -> new CtlValue(v, IdRange.parse(v), List.of(), false, null);
      case RULE_REMOVE_TARGET_BY_ID -> {
        String[] parts = idAndTargets(option, v);
        yield new CtlValue(
            parts[0], IdRange.parse(parts[0]), TargetParser.parse(parts[1]), false, null);
      }
      case RULE_REMOVE_TARGET_BY_TAG -> {
        String[] parts = idAndTargets(option, v);
        yield new CtlValue(parts[0], null, TargetParser.parse(parts[1]), false, null);
      }
      case REQUEST_BODY_PROCESSOR ->
          new CtlValue(v.toUpperCase(Locale.ROOT), null, List.of(), false, null);
      case REQUEST_BODY_ACCESS, RESPONSE_BODY_ACCESS, FORCE_REQUEST_BODY_VARIABLE ->
          new CtlValue(v, null, List.of(), on(v), null);
      default -> new CtlValue(v, null, List.of(), false, null);
    };
  }

  private static String engineMode(String v) {
    return switch (v.toLowerCase(Locale.ROOT)) {
      case "on" -> "On";
      case "off" -> "Off";
      case "detectiononly" -> "DetectionOnly";
      default ->
          throw new IllegalArgumentException(
              "ctl:ruleEngine expects On|Off|DetectionOnly, got '" + v + "'");
    };
  }

  private static boolean on(String v) {
    return v.equalsIgnoreCase("on") || v.equals("1") || v.equalsIgnoreCase("true");
  }

  private static String[] idAndTargets(CtlOption option, String v) {
    int semi = v.indexOf(';');
    if (semi <= 0 || semi == v.length() - 1) {
      throw new IllegalArgumentException(
          "ctl:" + option + " expects RULE;TARGETS, got '" + v + "'");
    }
    return new String[] {v.substring(0, semi).strip(), v.substring(semi + 1)};
  }
}
