package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.operator.Operator;
import dev.tpp.waf.engine.operator.Operators;
import dev.tpp.waf.engine.operator.PrefilterIndex;
import dev.tpp.waf.engine.transform.Transformation;
import dev.tpp.waf.engine.transform.Transformations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Turns parsed rule drafts (a chain of one or more links) into an immutable {@link Rule}. Build
 * time only.
 */
final class RuleCompiler {
  /**
   * One list instance per distinct transformation chain in the rule set: a transaction caches
   * transformed values per chain by identity, and CRS gives dozens of rules the same chain.
   */
  private final Map<List<Transformation>, List<Transformation>> chains = new HashMap<>();

  /**
   * The literals of every {@code @rx} prefilter (and the response phases' {@code @pm} phrases),
   * scanned once per text and lane at run time.
   */
  private final PrefilterIndex.Builder prefilters = new PrefilterIndex.Builder();

  /** The index over the prefilters of every rule compiled so far. */
  PrefilterIndex prefilterIndex() {
    return prefilters.build();
  }

  Rule compile(List<SecLangParser.PendingLink> links, Map<Integer, RuleDraft> defaults)
      throws WafCompileException {
    SecLangParser.PendingLink head = links.get(0);
    RuleDraft first = head.draft();
    int phase = first.phase == null ? 2 : first.phase;
    if (first.id == null) {
      throw new WafCompileException(head.directive().where() + ": rule has no id");
    }
    Rule next = null;
    for (int i = links.size() - 1; i >= 0; i--) {
      SecLangParser.PendingLink link = links.get(i);
      RuleDraft d = link.draft();
      if (i > 0
          && (d.id != null
              || d.phase != null
              || d.disruptive != null && !d.disruptive.equals("pass"))) {
        // ModSecurity refuses these too: only the chain starter may carry id, phase and disruption.
        throw new WafCompileException(
            link.directive().where()
                + ": id, phase and disruptive actions belong to the chain starter");
      }
      RuleDraft dflt = defaults.get(phase);
      if (i == 0) {
        d.inherit(dflt == null ? builtInDefault() : dflt);
      } else if (dflt != null && !d.transformsReset) {
        d.transforms.addAll(0, dflt.transforms);
      }
      next = build(link, d, first, phase, next);
    }
    return Objects.requireNonNull(next, "next: a chain has at least one link");
  }

  private static RuleDraft builtInDefault() {
    RuleDraft d = new RuleDraft();
    d.disruptive = "pass";
    d.log = true;
    return d;
  }

  private Rule build(
      SecLangParser.PendingLink link, RuleDraft d, RuleDraft first, int phase, @Nullable Rule chain)
      throws WafCompileException {
    Directive dir = link.directive();
    RuleMeta meta =
        new RuleMeta(
            first.id,
            phase,
            dir.source(),
            dir.line(),
            first.msg,
            first.logdata,
            first.tags,
            first.severity,
            first.ver,
            first.rev,
            first.maturity,
            first.accuracy);
    List<Target> targets = link.targets() == null ? List.of() : TargetParser.parse(link.targets());
    String opName = null;
    String opParam = null;
    Operator op = null;
    boolean negated = false;
    if (link.operator() != null) {
      String o = link.operator().stripLeading();
      if (o.startsWith("!")) {
        negated = true;
        o = o.substring(1).stripLeading();
      }
      if (o.startsWith("@")) {
        int sp = indexOfSpace(o);
        opName = o.substring(1, sp < 0 ? o.length() : sp);
        opParam = sp < 0 ? "" : o.substring(sp + 1).stripLeading();
      } else {
        opName = "rx";
        opParam = o;
      }
      try {
        op = Operators.create(opName, opParam, dir.baseDir(), prefilters.lane(lane(phase)));
      } catch (IllegalArgumentException e) {
        throw new WafCompileException(dir.where() + ": " + e.getMessage(), e);
      }
    }
    List<Transformation> transforms = new ArrayList<>();
    for (String t : d.transforms) {
      transforms.add(
          Transformations.byName(t)
              .orElseThrow(
                  () -> new WafCompileException(dir.where() + ": unknown transformation t:" + t)));
    }
    int status = d.status != 0 ? d.status : "redirect".equals(d.disruptive) ? 302 : 403;
    List<Transformation> shared = chains.computeIfAbsent(List.copyOf(transforms), k -> k);
    return new Rule(
        meta,
        targets,
        opName,
        opParam,
        op,
        negated,
        shared,
        d.multiMatch,
        disruptive(d.disruptive),
        status,
        d.redirect,
        d.log == null || d.log,
        d.capture,
        d.actions,
        d.skip,
        d.skipAfter,
        chain,
        null);
  }

  /** Response phases scan their texts (a response body, mostly) in a lane of their own. */
  private static int lane(int phase) {
    return phase == 3 || phase == 4 ? PrefilterIndex.RESPONSE : PrefilterIndex.REQUEST;
  }

  private static int indexOfSpace(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  private static Disruptive disruptive(@Nullable String s) {
    if (s == null) {
      return Disruptive.PASS;
    }
    return switch (s.toLowerCase(Locale.ROOT)) {
      case "deny" -> Disruptive.DENY;
      case "drop" -> Disruptive.DROP;
      case "redirect" -> Disruptive.REDIRECT;
      case "allow" -> Disruptive.ALLOW;
      case "allow:phase" -> Disruptive.ALLOW_PHASE;
      case "allow:request" -> Disruptive.ALLOW_REQUEST;
      default -> Disruptive.PASS;
    };
  }

  static Rule marker(String name, Directive d) {
    RuleMeta meta =
        new RuleMeta(
            null, 0, d.source(), d.line(), null, null, List.of(), null, null, null, null, null);
    return new Rule(
        meta,
        List.of(),
        null,
        null,
        null,
        false,
        List.of(),
        false,
        Disruptive.PASS,
        0,
        null,
        false,
        false,
        List.of(),
        0,
        null,
        null,
        name);
  }
}
