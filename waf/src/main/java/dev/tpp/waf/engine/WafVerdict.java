package dev.tpp.waf.engine;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of inspecting one request. {@code disruptive} is true when a rule asked to interrupt
 * the request (deny/block/drop/redirect) while the rule engine was On; {@code status} is the status
 * it asked for (403 by default). The proxy decides what to do with it: {@code mode: detect} only
 * logs.
 */
public record WafVerdict(
    boolean disruptive, int status, @Nullable String redirectUrl, List<RuleMatch> matches) {

  public WafVerdict {
    matches = List.copyOf(matches);
  }

  public static WafVerdict pass(List<RuleMatch> matches) {
    return new WafVerdict(false, 0, null, matches);
  }
}
