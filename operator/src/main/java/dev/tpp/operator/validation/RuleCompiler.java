package dev.tpp.operator.validation;

import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafEngineBuilder;
import java.nio.file.Path;
import java.util.List;

/**
 * Compiles SecLang sources the way the proxy does. An interface so tests can stand in for the
 * engine; the default is {@link #WAF_ENGINE}, the proxy's own {@link WafEngine}.
 */
@FunctionalInterface
public interface RuleCompiler {
  /** The proxy's engine: every source added as inline rules, then {@code build()}. */
  RuleCompiler WAF_ENGINE =
      sources -> {
        WafEngineBuilder builder = WafEngine.builder();
        for (Source source : sources) {
          builder.rules(source.name(), source.text(), Path.of("/etc/tpp"));
        }
        builder.build();
      };

  /** Throws naming the source and line of the first problem. */
  void compile(List<Source> sources) throws WafCompileException;

  /**
   * One SecLang text: {@code spec.waf.rules}, or a ConfigMap key such as {@code
   * my-rules/sqli.conf}.
   */
  record Source(String name, String text) {}
}
