package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.WafCompileException;
import dev.tpp.waf.engine.audit.AuditDirectives;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads SecLang sources in load order and accumulates a {@link RuleSet}. Used by one thread during
 * {@code WafEngineBuilder.build()}; not thread-safe, not reused.
 */
public final class SecLangParser {
  private static final Logger log = LoggerFactory.getLogger(SecLangParser.class);

  /**
   * Directives that only matter to ModSecurity's response, audit or persistence side: accepted and
   * ignored.
   */
  private static final Set<String> IGNORED_PREFIXES =
      Set.of(
          "secresponsebody",
          "secdebuglog",
          "secrequestbodylimit",
          "secrequestbodynofileslimit",
          "secrequestbodyinmemorylimit",
          "secpcrematchlimit",
          "secgeolookupdb",
          "secgsblookupdb",
          "sechashengine",
          "sechashkey",
          "sechashparam",
          "sechashmethod");

  private static final Set<String> IGNORED =
      Set.of(
          "sectmpdir",
          "secdatadir",
          "seccollectiontimeout",
          "secargumentseparator",
          "secunicodemapfile",
          "secunicodecodepage",
          "seccookieformat",
          "secuploaddir",
          "secuploadkeepfiles",
          "secuploadfilemode",
          "secuploadfilelimit",
          "secstatusengine",
          "secserversignature",
          "secwebappid",
          "secsensorid",
          "secconnengine",
          "secremoterulesfailaction",
          "secrequestbodylimitaction",
          "secxmlexternalentity",
          "secinterceptonerror",
          "secruleperftime",
          "secstreaminbodyinspection",
          "secstreamoutbodyinspection",
          "secdisablebackendcompression",
          "seccontentinjection",
          "secchrootdir",
          "secreadstatelimit",
          "secwritestatelimit");

  private final List<Rule> rules = new ArrayList<>();
  private final Map<Integer, RuleDraft> defaults = new HashMap<>();
  private final List<PendingLink> openChain = new ArrayList<>();
  private final RuleCompiler compiler = new RuleCompiler();
  private String engineMode = "On";
  private boolean requestBodyAccess = true;
  private final ResponseDirectives response = ResponseDirectives.defaults();
  private final AuditDirectives audit = new AuditDirectives();
  private int includeDepth;

  record PendingLink(
      RuleDraft draft, Directive directive, @Nullable String targets, @Nullable String operator) {}

  /** Parses one SecLang text; {@code baseDir} resolves Include and data files. */
  public void parse(String text, String source, @Nullable Path baseDir) throws WafCompileException {
    for (Directive d : DirectiveReader.read(text, source, baseDir)) {
      try {
        directive(d);
      } catch (WafCompileException e) {
        throw e;
      } catch (RuntimeException e) {
        throw new WafCompileException(d.where() + ": " + e.getMessage(), e);
      }
    }
  }

  public void parseFile(Path file) throws WafCompileException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new WafCompileException(file + ":0: cannot read: " + e.getMessage(), e);
    }
    Path dir = file.toAbsolutePath().getParent();
    parse(text, file.toString(), dir);
  }

  private void directive(Directive d) throws WafCompileException {
    String name = d.name().toLowerCase(Locale.ROOT);
    List<String> a = d.args();
    switch (name) {
      case "secrule" -> {
        expectArgs(d, 2, 3);
        rule(d, a.get(0), a.get(1), a.size() > 2 ? a.get(2) : "");
      }
      case "secaction" -> {
        expectArgs(d, 1, 1);
        rule(d, null, null, a.get(0));
      }
      case "secmarker" -> {
        expectArgs(d, 1, 1);
        rules.add(RuleCompiler.marker(a.get(0), d));
      }
      case "secruleengine" -> engineMode = onOff(d, true);
      case "secrequestbodyaccess" -> requestBodyAccess = onOff(d, false).equals("On");
      case "secdefaultaction" -> defaultAction(d);
      case "seccomponentsignature" -> {
        expectArgs(d, 1, 1);
        audit.component(a.get(0));
      }
      case "include" -> include(d);
      case "secruleupdateactionbyid" ->
          log.warn("waf directive ignored (not supported): {} {}", d.where(), d.name());
      case "secrulescript", "secremoterules" ->
          throw new WafCompileException(
              d.where() + ": " + d.name() + " is not supported (its rules would be lost)");
      case "secruleremovebyid" -> Exclusions.removeById(rules, a);
      case "secruleremovebytag" -> Exclusions.removeByTag(rules, a);
      case "secruleremovebymsg" -> Exclusions.removeByMsg(rules, a);
      case "secruleupdatetargetbyid" ->
          Exclusions.updateTargets(rules, d, r -> Exclusions.idMatches(r, a.get(0)));
      case "secruleupdatetargetbytag" ->
          Exclusions.updateTargets(rules, d, r -> r.meta().tags().contains(a.get(0)));
      case "secruleupdatetargetbymsg" ->
          Exclusions.updateTargets(rules, d, r -> a.get(0).equals(r.meta().msgText()));
      default -> {
        if (response.apply(name, d) || audit.apply(name, d.where(), a)) {
          return;
        }
        if (!IGNORED.contains(name) && IGNORED_PREFIXES.stream().noneMatch(name::startsWith)) {
          throw new WafCompileException(d.where() + ": unknown directive " + d.name());
        }
      }
    }
  }

  private static void expectArgs(Directive d, int min, int max) throws WafCompileException {
    if (d.args().size() < min || d.args().size() > max) {
      throw new WafCompileException(
          d.where()
              + ": "
              + d.name()
              + " takes "
              + (min == max ? min : min + "-" + max)
              + " argument(s), got "
              + d.args().size());
    }
  }

  private static String onOff(Directive d, boolean detectionOnlyAllowed)
      throws WafCompileException {
    expectArgs(d, 1, 1);
    String v = d.args().get(0);
    if (v.equalsIgnoreCase("on")) {
      return "On";
    }
    if (v.equalsIgnoreCase("off")) {
      return "Off";
    }
    if (detectionOnlyAllowed && v.equalsIgnoreCase("detectiononly")) {
      return "DetectionOnly";
    }
    throw new WafCompileException(
        d.where()
            + ": "
            + d.name()
            + " expects On|Off"
            + (detectionOnlyAllowed ? "|DetectionOnly" : "")
            + ", got "
            + v);
  }

  private void defaultAction(Directive d) throws WafCompileException {
    expectArgs(d, 1, 1);
    RuleDraft draft = new RuleDraft();
    ActionParser.apply(d.args().get(0), draft);
    if (draft.phase == null) {
      throw new WafCompileException(d.where() + ": SecDefaultAction needs a phase");
    }
    if (draft.disruptive == null) {
      draft.disruptive = "pass";
    }
    defaults.put(draft.phase, draft);
  }

  private void rule(
      Directive d, @Nullable String targets, @Nullable String operator, String actions)
      throws WafCompileException {
    RuleDraft draft = new RuleDraft();
    ActionParser.apply(actions, draft);
    openChain.add(new PendingLink(draft, d, targets, operator));
    if (draft.chain) {
      return;
    }
    List<PendingLink> links = List.copyOf(openChain);
    openChain.clear();
    rules.add(compiler.compile(links, defaults));
  }

  private void include(Directive d) throws WafCompileException {
    expectArgs(d, 1, 1);
    if (++includeDepth > 32) {
      throw new WafCompileException(d.where() + ": Include nested too deeply");
    }
    try {
      for (Path file : IncludeResolver.resolve(d)) {
        parseFile(file);
      }
    } finally {
      includeDepth--;
    }
  }

  /** Everything parsed so far as an immutable rule set. */
  public RuleSet finish() throws WafCompileException {
    if (!openChain.isEmpty()) {
      throw new WafCompileException(
          openChain.get(0).directive().where() + ": chain without a following rule");
    }
    List<List<Rule>> phases = new ArrayList<>();
    for (int p = 0; p <= 5; p++) {
      phases.add(new ArrayList<>());
    }
    int count = 0;
    for (Rule r : rules) {
      if (!r.isMarker()) {
        count++;
      }
      for (int p = 1; p <= 5; p++) {
        if (r.isMarker() || r.meta().phase() == p) {
          phases.get(p).add(r);
        }
      }
    }
    boolean inspects = count(phases.get(3)) + count(phases.get(4)) > 0;
    ResponseRules out =
        new ResponseRules(phases.get(3), phases.get(4), phases.get(5), response.policy(inspects));
    return new RuleSet(
        phases.get(1),
        phases.get(2),
        engineMode,
        requestBodyAccess,
        count,
        compiler.prefilterIndex(),
        out,
        audit.policy(),
        audit.components());
  }

  private static int count(List<Rule> phase) {
    int n = 0;
    for (Rule r : phase) {
      if (!r.isMarker()) {
        n++;
      }
    }
    return n;
  }
}
