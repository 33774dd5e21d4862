package dev.tpp.waf.engine.operator;

import dev.tpp.waf.engine.libinjection.SqliDetector;
import dev.tpp.waf.engine.libinjection.XssDetector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds operators from their SecLang name and parameter. Called by the parser at build time (reads data files for
 * {@code @pmFromFile} / {@code @ipMatchFromFile} then); the operators returned are immutable.
 */
public final class Operators {
  private Operators() {}

  /**
   * @param baseDir directory of the rule file, for relative data files
   * @param prefilters the rule set's index, where {@code @rx} registers its prefilter literals
   * @throws IllegalArgumentException naming the problem, when the operator is unknown or its parameter is invalid
   */
  public static Operator create(String name, String param, Path baseDir, PrefilterIndex.Builder prefilters) {
    String key = name.toLowerCase(Locale.ROOT);
    boolean macro = param.contains("%{");
    switch (key) {
      case "rx":
        return macro ? new ExpandedRegexOperator(param) : regex(Regex.compile(param, prefilters));
      case "pm":
        return phrases(new AhoCorasick(AhoCorasick.splitPhrases(param)));
      case "pmf":
      case "pmfromfile":
        return phrases(new AhoCorasick(readDataFiles(param, baseDir)));
      case "ipmatch":
        return ip(new IpMatcher(List.of(param.split(","))));
      case "ipmatchfromfile":
      case "ipmatchf":
        return ip(new IpMatcher(readDataFiles(param, baseDir)));
      case "streq":
        return (in, ctx) -> in.equals(arg(param, macro, ctx));
      case "strmatch":
      case "contains":
        return (in, ctx) -> in.contains(arg(param, macro, ctx));
      case "containsword":
        return (in, ctx) -> containsWord(in, arg(param, macro, ctx));
      case "beginswith":
        return (in, ctx) -> in.startsWith(arg(param, macro, ctx));
      case "endswith":
        return (in, ctx) -> in.endsWith(arg(param, macro, ctx));
      case "within":
        return (in, ctx) -> arg(param, macro, ctx).contains(in);
      case "eq":
        return (in, ctx) -> toInt(in) == toInt(arg(param, macro, ctx));
      case "ge":
        return (in, ctx) -> toInt(in) >= toInt(arg(param, macro, ctx));
      case "gt":
        return (in, ctx) -> toInt(in) > toInt(arg(param, macro, ctx));
      case "le":
        return (in, ctx) -> toInt(in) <= toInt(arg(param, macro, ctx));
      case "lt":
        return (in, ctx) -> toInt(in) < toInt(arg(param, macro, ctx));
      case "validatebyterange":
        return Validators.byteRange(param);
      case "validateurlencoding":
        return (in, ctx) -> Validators.invalidUrlEncoding(in);
      case "validateutf8encoding":
        return (in, ctx) -> Validators.invalidUtf8(in);
      case "detectsqli":
        return (in, ctx) -> capture(ctx, SqliDetector.fingerprintIfSqli(in));
      case "detectxss":
        return (in, ctx) -> XssDetector.isXss(in);
      case "unconditionalmatch":
        return (in, ctx) -> true;
      case "nomatch":
      case "rbl":
      case "geolookup":
      case "validatedtd":
      case "validateschema":
      case "verifycc":
      case "verifyssn":
      case "verifycpf":
      case "fuzzyhash":
      case "inspectfile":
      case "gsblookup":
        return (in, ctx) -> false;
      default:
        throw new IllegalArgumentException("unknown operator @" + name);
    }
  }

  static Operator regex(Regex regex) {
    return (in, ctx) -> {
      if (!ctx.capturing()) return regex.matches(in, ctx);
      List<String> groups = regex.find(in, ctx);
      if (groups == null) return false;
      if (ctx.capturing()) ctx.capture(groups);
      return true;
    };
  }

  private static Operator phrases(AhoCorasick ac) {
    return (in, ctx) -> capture(ctx, ac.find(in));
  }

  private static Operator ip(IpMatcher matcher) {
    return (in, ctx) -> matcher.matches(in);
  }

  private static boolean capture(MatchContext ctx, String found) {
    if (found == null) return false;
    if (ctx.capturing()) ctx.capture(List.of(found));
    return true;
  }

  private static String arg(String param, boolean macro, MatchContext ctx) {
    return macro ? ctx.expand(param) : param;
  }

  /** Like C's atoi: optional sign, leading digits, anything else stops; no digits means 0. */
  static long toInt(String s) {
    int i = 0;
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    boolean neg = false;
    if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) neg = s.charAt(i++) == '-';
    long v = 0;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v < Long.MAX_VALUE / 20) v = v * 10 + (s.charAt(i++) - '0');
    return neg ? -v : v;
  }

  private static boolean containsWord(String in, String word) {
    if (word.isEmpty()) return true;
    for (int i = in.indexOf(word); i >= 0; i = in.indexOf(word, i + 1)) {
      boolean before = i == 0 || !Character.isLetterOrDigit(in.charAt(i - 1)) && in.charAt(i - 1) != '_';
      int end = i + word.length();
      boolean after = end == in.length() || !Character.isLetterOrDigit(in.charAt(end)) && in.charAt(end) != '_';
      if (before && after) return true;
    }
    return false;
  }

  private static List<String> readDataFiles(String param, Path baseDir) {
    List<String> lines = new ArrayList<>();
    for (String file : param.trim().split("\\s+")) {
      Path path = baseDir == null ? Path.of(file) : baseDir.resolve(file);
      if (!Files.isRegularFile(path)) {
        // a device or FIFO (/dev/zero, /dev/stdin) would never end, or block the reload thread forever
        throw new IllegalArgumentException("data file " + path + " is not a regular file");
      }
      try {
        for (String line : Files.readAllLines(path, StandardCharsets.ISO_8859_1)) {
          String t = line.strip();
          if (!t.isEmpty() && !t.startsWith("#")) lines.add(t);
        }
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read data file " + path + ": " + e.getMessage(), e);
      }
    }
    return lines;
  }
}
