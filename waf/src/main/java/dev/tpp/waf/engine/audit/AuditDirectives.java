package dev.tpp.waf.engine.audit;

import dev.tpp.waf.engine.WafCompileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accumulates the {@code SecAudit*} directives (and {@code SecComponentSignature}, which the audit
 * record's producer lists) while a rule set is parsed. Parser thread only.
 */
public final class AuditDirectives {
  private static final Logger log = LoggerFactory.getLogger(AuditDirectives.class);
  private static final String PART_LETTERS = "ABCDEFGHIJKZ";

  private AuditPolicy.Engine engine = AuditPolicy.Engine.OFF;
  private String parts = AuditPolicy.OFF.parts();
  private @Nullable Pattern relevantStatus;
  private @Nullable String target;
  private @Nullable String engineWhere;
  private final List<String> components = new ArrayList<>();

  /**
   * Applies one directive when it is an audit directive ({@code name} lower case); false otherwise.
   * {@code where} and {@code args} are the directive's position and arguments.
   */
  public boolean apply(String name, String where, List<String> args) throws WafCompileException {
    switch (name) {
      case "secauditengine" -> {
        engineWhere = where;
        engine =
            switch (one(name, where, args).toLowerCase(Locale.ROOT)) {
              case "on" -> AuditPolicy.Engine.ON;
              case "off" -> AuditPolicy.Engine.OFF;
              case "relevantonly" -> AuditPolicy.Engine.RELEVANT_ONLY;
              default ->
                  throw new WafCompileException(
                      where + ": SecAuditEngine expects On|Off|RelevantOnly, got " + args.get(0));
            };
      }
      case "secauditlogparts" -> parts = parts(where, one(name, where, args));
      case "secauditlogrelevantstatus" -> relevantStatus = status(where, one(name, where, args));
      case "secauditlog" -> target = one(name, where, args);
      case "secauditlogformat" -> {
        if (!one(name, where, args).equalsIgnoreCase("json")) {
          log.warn("event=waf_audit_format where={} format={} writes=JSON", where, args.get(0));
        }
      }
      case "secauditlogtype" -> {
        if (!one(name, where, args).equalsIgnoreCase("serial")) {
          log.warn("event=waf_audit_type where={} type={} writes=Serial", where, args.get(0));
        }
      }
      default -> {
        return name.startsWith(
            "secaudit"); // SecAuditLog2, SecAuditLogStorageDir, ...: accepted, no effect
      }
    }
    return true;
  }

  /** {@code SecComponentSignature}: named in every record's producer. */
  public void component(String signature) {
    components.add(signature);
  }

  public List<String> components() {
    return List.copyOf(components);
  }

  public AuditPolicy policy() throws WafCompileException {
    if (engine != AuditPolicy.Engine.OFF && target == null) {
      throw new WafCompileException(
          engineWhere
              + ": SecAuditEngine "
              + engine
              + " needs SecAuditLog (a file path or "
              + "/dev/stdout)");
    }
    return new AuditPolicy(engine, parts, relevantStatus, target);
  }

  private static String one(String name, String where, List<String> args)
      throws WafCompileException {
    if (args.size() != 1) {
      throw new WafCompileException(where + ": " + name + " takes 1 argument, got " + args.size());
    }
    return args.get(0);
  }

  private static String parts(String where, String letters) throws WafCompileException {
    String upper = letters.toUpperCase(Locale.ROOT);
    for (char c : upper.toCharArray()) {
      if (PART_LETTERS.indexOf(c) < 0) {
        throw new WafCompileException(
            where
                + ": SecAuditLogParts: unknown part '"
                + c
                + "' (expected letters of "
                + PART_LETTERS
                + ")");
      }
    }
    return upper;
  }

  private static Pattern status(String where, String regex) throws WafCompileException {
    try {
      return Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new WafCompileException(
          where + ": SecAuditLogRelevantStatus: " + e.getDescription(), e);
    }
  }
}
