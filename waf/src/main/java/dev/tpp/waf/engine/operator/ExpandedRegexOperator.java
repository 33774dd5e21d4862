package dev.tpp.waf.engine.operator;

import dev.tpp.waf.engine.seclang.MacroText;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code @rx} whose pattern contains macros ({@code ^%{tx.allowed_request_content_type}$}):
 * expanded per request, compiled once per distinct expansion. The cache is bounded and shared by
 * pool threads.
 */
final class ExpandedRegexOperator implements Operator {
  private static final int MAX_CACHED = 256;
  private final MacroText template;
  private final ConcurrentHashMap<String, Regex> cache = new ConcurrentHashMap<>();

  ExpandedRegexOperator(MacroText template) {
    this.template = template;
  }

  @Override
  public boolean matches(String input, MatchContext context) {
    String pattern = context.expand(template);
    Regex regex = cache.get(pattern);
    if (regex == null) {
      try {
        regex = Regex.compile(pattern);
      } catch (IllegalArgumentException e) {
        return false; // an expansion that is not a valid regex matches nothing, as in ModSecurity
      }
      if (cache.size() < MAX_CACHED) {
        cache.put(pattern, regex);
      }
    }
    if (!context.capturing()) {
      return regex.matches(input, context);
    }
    List<String> groups = regex.find(input, context);
    if (groups == null) {
      return false;
    }
    if (context.capturing()) {
      context.capture(groups);
    }
    return true;
  }
}
