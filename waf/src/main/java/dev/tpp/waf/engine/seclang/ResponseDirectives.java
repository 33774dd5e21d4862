package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.ResponsePolicy;
import dev.tpp.waf.engine.WafCompileException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Accumulates the {@code SecResponseBody*} directives while a rule set is parsed; ModSecurity's
 * defaults until set. Parser thread only.
 */
final class ResponseDirectives {
  private boolean bodyAccess;
  private final List<String> mimeTypes = new ArrayList<>(List.of("text/plain", "text/html"));
  private long bodyLimit = 524_288;
  private boolean rejectOverLimit = true;

  static ResponseDirectives defaults() {
    return new ResponseDirectives();
  }

  /** Applies {@code d} when it is one of the response-body directives; false otherwise. */
  boolean apply(String name, Directive d) throws WafCompileException {
    List<String> args = d.args();
    switch (name) {
      case "secresponsebodyaccess" ->
          bodyAccess = one(d).equalsIgnoreCase("on") || bad(d, "On|Off", "off");
      case "secresponsebodymimetype" -> {
        for (String arg : args) {
          for (String type : arg.split("\\s+")) {
            if (!type.isEmpty()) {
              mimeTypes.add(type.toLowerCase(Locale.ROOT));
            }
          }
        }
      }
      case "secresponsebodymimetypesclear" -> mimeTypes.clear();
      case "secresponsebodylimit" -> bodyLimit = limit(d);
      case "secresponsebodylimitaction" ->
          rejectOverLimit =
              one(d).equalsIgnoreCase("reject")
                  || bad(d, "Reject|ProcessPartial", "processpartial");
      default -> {
        return false;
      }
    }
    return true;
  }

  ResponsePolicy policy(boolean inspects) {
    return new ResponsePolicy(inspects, bodyAccess, mimeTypes, bodyLimit, rejectOverLimit);
  }

  private static String one(Directive d) throws WafCompileException {
    if (d.args().size() != 1) {
      throw new WafCompileException(
          d.where() + ": " + d.name() + " takes 1 argument, got " + d.args().size());
    }
    return d.args().get(0);
  }

  /** False when the argument is the other allowed value; throws when it is neither. */
  private static boolean bad(Directive d, String expected, String other)
      throws WafCompileException {
    if (!d.args().get(0).equalsIgnoreCase(other)) {
      throw new WafCompileException(
          d.where() + ": " + d.name() + " expects " + expected + ", got " + d.args().get(0));
    }
    return false;
  }

  private static long limit(Directive d) throws WafCompileException {
    String v = one(d);
    try {
      long n = Long.parseLong(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new WafCompileException(
        d.where() + ": " + d.name() + " expects a byte count > 0, got " + v);
  }
}
