package dev.tpp.waf.engine.operator;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compiled {@code @rx} pattern. RE2/J (linear time) whenever the PCRE text can be expressed in
 * RE2 after {@link PcreTranslator}; otherwise java.util.regex over a {@link BudgetedCharSequence},
 * stopped (as "no match") past {@link RegexBudget#budgetFor}. Possessive patterns are prefiltered
 * by RE2 (greedy) and confirmed exactly. In front of RE2, a {@link LiteralPrefilter} rules out
 * inputs that lack every literal a match needs, and a {@link LazyDfa} over RE2's own program
 * answers match/no-match; RE2/J's NFA runs for groups and what the DFA leaves. Compiled at build
 * time; {@link #find} is called concurrently by pool threads.
 */
public abstract sealed class Regex {
  private static final Logger log = LoggerFactory.getLogger(Regex.class);

  /**
   * Compiles PCRE-flavoured {@code pattern} with ModSecurity's flags (dot matches newline, $ only
   * at the end).
   */
  public static Regex compile(String pattern) {
    return compile(pattern, null);
  }

  /**
   * {@link #compile(String)}, registering the prefilter's literals in the rule set's {@code
   * prefilters}.
   */
  static Regex compile(String pattern, PrefilterIndex.@Nullable Builder prefilters) {
    RepetitionLimit.check(pattern);
    String translated = PcreTranslator.toRe2(pattern);
    Pattern re2;
    try {
      re2 = Pattern.compile(translated, Pattern.DOTALL);
    } catch (com.google.re2j.PatternSyntaxException e) {
      return new Backtracking(javaPattern(pattern), pattern);
    }
    Re2 linear = new Re2(re2, LiteralPrefilter.of(translated, prefilters), LazyDfa.of(re2));
    if (!PcreTranslator.hasPossessive(pattern)) {
      return linear;
    }
    // Greedy accepts a superset of what possessive accepts: RE2 rules out non-matches in linear
    // time, and only
    // RE2 matches are confirmed (with exact PCRE semantics and captures) by the budgeted
    // backtracking engine.
    return new Confirmed(linear, new Backtracking(javaPattern(pattern), pattern));
  }

  private static java.util.regex.Pattern javaPattern(String pattern) {
    try {
      return java.util.regex.Pattern.compile(
          PcreTranslator.toJava(pattern), java.util.regex.Pattern.DOTALL);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid regex: " + e.getDescription(), e);
    }
  }

  static final class Confirmed extends Regex {
    private final Re2 filter;
    private final Backtracking exact;

    Confirmed(Re2 filter, Backtracking exact) {
      this.filter = filter;
      this.exact = exact;
    }

    @Override
    public boolean matches(String input) {
      return matches(input, null);
    }

    @Override
    public boolean matches(String input, @Nullable MatchContext context) {
      if (!filter.matches(input, context)) {
        return false;
      }
      Backtracking.Result r = exact.run(input);
      return r.overrun() || r.groups() != null;
    }

    @Override
    public @Nullable List<String> find(String input) {
      return find(input, null);
    }

    @Override
    public @Nullable List<String> find(String input, @Nullable MatchContext context) {
      List<String> candidate = filter.find(input, context);
      if (candidate == null) {
        return null;
      }
      Backtracking.Result r = exact.run(input);
      return r.overrun() ? candidate : r.groups();
    }

    @Override
    public boolean linear() {
      return true;
    }
  }

  /**
   * Returns the groups (0..n) of the first match, or null when there is none (or the budget ran
   * out).
   */
  public abstract @Nullable List<String> find(String input);

  /**
   * Whether there is a match; cheaper than {@link #find} on RE2, which recomputes submatches for
   * groups.
   */
  public boolean matches(String input) {
    return find(input) != null;
  }

  /**
   * {@link #find(String)}, with the request's {@link MatchContext#literalHits} to spare prefilter
   * scans.
   */
  public @Nullable List<String> find(String input, @Nullable MatchContext context) {
    return find(input);
  }

  /**
   * {@link #matches(String)}, with the request's {@link MatchContext#literalHits} to spare
   * prefilter scans.
   */
  public boolean matches(String input, @Nullable MatchContext context) {
    return matches(input);
  }

  /** Whether this pattern runs on the linear-time engine. */
  public abstract boolean linear();

  static final class Re2 extends Regex {
    private final Pattern pattern;
    private final @Nullable LiteralPrefilter prefilter;
    private final @Nullable LazyDfa dfa;

    Re2(Pattern pattern, @Nullable LiteralPrefilter prefilter, @Nullable LazyDfa dfa) {
      this.pattern = pattern;
      this.prefilter = prefilter;
      this.dfa = dfa;
    }

    /**
     * MATCH or NO_MATCH when the prefilter or the DFA can tell; UNKNOWN leaves it to RE2/J's NFA.
     */
    private LazyDfa.Answer quick(String input, @Nullable MatchContext context) {
      if (prefilter != null && !prefilter.mayMatch(input, context)) {
        return LazyDfa.Answer.NO_MATCH;
      }
      return dfa == null ? LazyDfa.Answer.UNKNOWN : dfa.find(input);
    }

    @Override
    public boolean matches(String input) {
      return matches(input, null);
    }

    @Override
    public boolean matches(String input, @Nullable MatchContext context) {
      LazyDfa.Answer quick = quick(input, context);
      if (quick != LazyDfa.Answer.UNKNOWN) {
        return quick == LazyDfa.Answer.MATCH;
      }
      return pattern.matcher(input).find();
    }

    @Override
    public @Nullable List<String> find(String input) {
      return find(input, null);
    }

    @Override
    public @Nullable List<String> find(String input, @Nullable MatchContext context) {
      if (quick(input, context) == LazyDfa.Answer.NO_MATCH) {
        return null; // groups come from the NFA, only for matches
      }
      Matcher m = pattern.matcher(input);
      if (!m.find()) {
        return null;
      }
      List<String> groups = new ArrayList<>(m.groupCount() + 1);
      for (int i = 0; i <= m.groupCount(); i++) {
        groups.add(m.group(i));
      }
      return groups;
    }

    @Override
    public boolean linear() {
      return true;
    }
  }

  static final class Backtracking extends Regex {
    private final java.util.regex.Pattern pattern;
    private final String source;
    private final String literalStart;

    Backtracking(java.util.regex.Pattern pattern, String source) {
      this.pattern = pattern;
      this.source = source;
      this.literalStart = LiteralStart.of(pattern.pattern());
    }

    record Result(@Nullable List<String> groups, boolean overrun) {}

    @Override
    public @Nullable List<String> find(String input) {
      return run(input).groups();
    }

    /** Matches within the step budget; an overrun is logged, counted and reported as no groups. */
    Result run(String input) {
      try {
        int first = input.indexOf(literalStart); // 0 when there is none to look for
        if (first < 0) {
          return new Result(null, false); // no match can begin without it
        }
        java.util.regex.Matcher m =
            pattern.matcher(new BudgetedCharSequence(input, RegexBudget.budgetFor(input.length())));
        if (!m.find(first)) {
          return new Result(null, false);
        }
        List<String> groups = new ArrayList<>(m.groupCount() + 1);
        for (int i = 0; i <= m.groupCount(); i++) {
          groups.add(m.group(i));
        }
        return new Result(groups, false);
      } catch (BudgetedCharSequence.Exhausted | StackOverflowError e) {
        RegexBudget.recordOverrun();
        log.warn(
            "waf regex step budget exceeded: pattern={} inputLength={}",
            abbreviate(source),
            input.length());
        return new Result(null, true);
      }
    }

    @Override
    public boolean linear() {
      return false;
    }

    private static String abbreviate(String s) {
      return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
  }
}
