package dev.tpp.proxy.server;

import dev.tpp.config.WafConfig;
import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafVerdict;
import java.util.Arrays;
import java.util.List;

/**
 * A stand-in WAF compiler for reload tests (the SecLang engine lands on another branch): each
 * whitespace-separated word of {@code waf.rules} is a marker, and a request whose URI contains one
 * is blocked. A rule text containing {@code BROKEN} does not compile, like a SecLang syntax error.
 */
public final class MarkerWaf implements GenerationBuilder.WafCompiler {
  @Override
  public WafEngine compile(WafConfig waf) throws WafCompileException {
    if (!waf.enabled()) {
      return null;
    }
    String rules = waf.rules() == null ? "" : waf.rules().trim();
    if (rules.contains("BROKEN")) {
      throw new WafCompileException("waf.rules line 1: unknown directive \"BROKEN\"");
    }
    List<String> markers = rules.isEmpty() ? List.of() : Arrays.asList(rules.split("\\s+"));
    return new WafEngine() {
      @Override
      public WafVerdict inspect(WafRequest request) {
        for (String marker : markers) {
          if (request.uri().contains(marker)) {
            return new WafVerdict(
                true,
                403,
                null,
                List.of(new RuleMatch("9001", marker, marker, "CRITICAL", "marker " + marker)));
          }
        }
        return WafVerdict.pass(List.of());
      }

      @Override
      public int ruleCount() {
        return markers.size();
      }
    };
  }
}
