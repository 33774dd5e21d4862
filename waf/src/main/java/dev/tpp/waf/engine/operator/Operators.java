package dev.tpp.waf.engine.operator;

import dev.tpp.waf.engine.libinjection.SqliDetector;
import dev.tpp.waf.engine.libinjection.XssDetector;
import dev.tpp.waf.engine.seclang.MacroText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The operator registry: builds operators from their SecLang name and parameter. Called by the
 * parser at build time (reads data files for {@code @pmFromFile} / {@code @ipMatchFromFile} then);
 * the operators returned are immutable. A new operator is one {@code put} line in {@link
 * #registry()}.
 */
public final class Operators {
  /**
   * What a factory gets: the parameter as written, its macros parsed ({@code macro}, null when it
   * has none: then the parameter is a constant and no request expands it) and the build context.
   */
  record Spec(
      String param,
      @Nullable MacroText macro,
      @Nullable Path baseDir,
      PrefilterIndex.Builder prefilters) {}

  @FunctionalInterface
  interface Factory {
    Operator create(Spec spec);
  }

  private static final Operator NEVER = (in, ctx) -> false;

  /** Operators by lower-case name (SecLang names are case-insensitive). */
  private static final Map<String, Factory> REGISTRY = registry();

  private Operators() {}

  private static Map<String, Factory> registry() {
    Map<String, Factory> r = new HashMap<>();
    r.put(
        "rx",
        s ->
            s.macro() != null
                ? new ExpandedRegexOperator(s.macro())
                : regex(Regex.compile(s.param(), s.prefilters())));
    r.put("pm", s -> Phrases.of(AhoCorasick.splitPhrases(s.param()), s.prefilters()));
    r.put("pmFromFile", s -> Phrases.of(readDataFiles(s.param(), s.baseDir()), s.prefilters()));
    r.put("pmf", r.get("pmFromFile"));
    r.put("ipMatch", s -> ip(new IpMatcher(List.of(s.param().split(",")))));
    r.put("ipMatchFromFile", s -> ip(new IpMatcher(readDataFiles(s.param(), s.baseDir()))));
    r.put("ipMatchF", r.get("ipMatchFromFile"));
    r.put("streq", s -> (in, ctx) -> in.equals(arg(s, ctx)));
    r.put("strmatch", s -> (in, ctx) -> in.contains(arg(s, ctx)));
    r.put("contains", r.get("strmatch"));
    r.put("containsWord", s -> (in, ctx) -> containsWord(in, arg(s, ctx)));
    r.put("beginsWith", s -> (in, ctx) -> in.startsWith(arg(s, ctx)));
    r.put("endsWith", s -> (in, ctx) -> in.endsWith(arg(s, ctx)));
    r.put("within", s -> (in, ctx) -> arg(s, ctx).contains(in));
    r.put("eq", s -> (in, ctx) -> toInt(in) == toInt(arg(s, ctx)));
    r.put("ge", s -> (in, ctx) -> toInt(in) >= toInt(arg(s, ctx)));
    r.put("gt", s -> (in, ctx) -> toInt(in) > toInt(arg(s, ctx)));
    r.put("le", s -> (in, ctx) -> toInt(in) <= toInt(arg(s, ctx)));
    r.put("lt", s -> (in, ctx) -> toInt(in) < toInt(arg(s, ctx)));
    r.put("validateByteRange", s -> Validators.byteRange(s.param()));
    r.put("validateUrlEncoding", s -> (in, ctx) -> Validators.invalidUrlEncoding(in));
    r.put("validateUtf8Encoding", s -> (in, ctx) -> Validators.invalidUtf8(in));
    r.put("detectSQLi", s -> (in, ctx) -> capture(ctx, SqliDetector.fingerprintIfSqli(in)));
    r.put("detectXSS", s -> (in, ctx) -> XssDetector.isXss(in));
    r.put("unconditionalMatch", s -> (in, ctx) -> true);
    // accepted, never match: lookups this engine does not do (no DNS, no GeoIP, no schemas, no card
    // checks)
    for (String never :
        List.of(
            "noMatch",
            "rbl",
            "geoLookup",
            "validateDTD",
            "validateSchema",
            "verifyCC",
            "verifySSN",
            "verifyCPF",
            "fuzzyHash",
            "inspectFile",
            "gsbLookup")) {
      r.put(never, s -> NEVER);
    }
    Map<String, Factory> byLowerName = new HashMap<>();
    r.forEach((name, factory) -> byLowerName.put(name.toLowerCase(Locale.ROOT), factory));
    return Map.copyOf(byLowerName);
  }

  /**
   * @param baseDir directory of the rule file, for relative data files
   * @param prefilters the rule set's index, where {@code @rx} registers its prefilter literals
   * @throws IllegalArgumentException naming the problem, when the operator is unknown or its
   *     parameter is invalid (a macro naming no variable included)
   */
  public static Operator create(
      String name, String param, @Nullable Path baseDir, PrefilterIndex.Builder prefilters) {
    Factory factory = REGISTRY.get(name.toLowerCase(Locale.ROOT));
    if (factory == null) {
      throw new IllegalArgumentException("unknown operator @" + name);
    }
    MacroText macro = MacroText.of(param);
    return factory.create(new Spec(param, macro.isConstant() ? null : macro, baseDir, prefilters));
  }

  static Operator regex(Regex regex) {
    return (in, ctx) -> {
      if (!ctx.capturing()) {
        return regex.matches(in, ctx);
      }
      List<String> groups = regex.find(in, ctx);
      if (groups == null) {
        return false;
      }
      if (ctx.capturing()) {
        ctx.capture(groups);
      }
      return true;
    };
  }

  private static Operator ip(IpMatcher matcher) {
    return (in, ctx) -> matcher.matches(in);
  }

  static boolean capture(MatchContext ctx, @Nullable String found) {
    if (found == null) {
      return false;
    }
    if (ctx.capturing()) {
      ctx.capture(List.of(found));
    }
    return true;
  }

  private static String arg(Spec spec, MatchContext ctx) {
    return spec.macro() == null ? spec.param() : ctx.expand(spec.macro());
  }

  /** Like C's atoi: optional sign, leading digits, anything else stops; no digits means 0. */
  static long toInt(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
      neg = s.charAt(i++) == '-';
    }
    long v = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v < Long.MAX_VALUE / 20) {
      v = v * 10 + (s.charAt(i++) - '0');
    }
    return neg ? -v : v;
  }

  private static boolean containsWord(String in, String word) {
    if (word.isEmpty()) {
      return true;
    }
    for (int i = in.indexOf(word); i >= 0; i = in.indexOf(word, i + 1)) {
      boolean before =
          i == 0 || !Character.isLetterOrDigit(in.charAt(i - 1)) && in.charAt(i - 1) != '_';
      int end = i + word.length();
      boolean after =
          end == in.length() || !Character.isLetterOrDigit(in.charAt(end)) && in.charAt(end) != '_';
      if (before && after) {
        return true;
      }
    }
    return false;
  }

  private static List<String> readDataFiles(String param, @Nullable Path baseDir) {
    List<String> lines = new ArrayList<>();
    for (String file : param.trim().split("\\s+")) {
      Path path = baseDir == null ? Path.of(file) : baseDir.resolve(file);
      if (!Files.isRegularFile(path)) {
        // a device or FIFO (/dev/zero, /dev/stdin) would never end, or block the reload thread
        // forever
        throw new IllegalArgumentException("data file " + path + " is not a regular file");
      }
      try {
        for (String line : Files.readAllLines(path, StandardCharsets.ISO_8859_1)) {
          String t = line.strip();
          if (!t.isEmpty() && !t.startsWith("#")) {
            lines.add(t);
          }
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "cannot read data file " + path + ": " + e.getMessage(), e);
      }
    }
    return lines;
  }
}
