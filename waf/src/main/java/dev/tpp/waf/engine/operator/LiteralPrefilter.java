package dev.tpp.waf.engine.operator;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A necessary condition in front of RE2: a set of ASCII strings, at least one of which every match
 * of the pattern contains (compared case-insensitively, which only widens the filter). Inputs
 * containing none of them cannot match, so RE2's NFA never runs on them. Derived at build time from
 * the pattern's syntax (literals, concatenations, alternations, '+' repeats; anything uncertain
 * makes a node "unknown"); immutable and shared by pool threads.
 */
final class LiteralPrefilter {
  private static final int MAX_STRINGS = 64;

  /** What {@code \s} stands for in RE2 (and RE2/J): tab, newline, form feed, return, space. */
  private static final Set<String> RE2_SPACE = Set.of("\t", "\n", "\f", "\r", " ");

  private final AhoCorasick strings;

  /**
   * This prefilter's bit in its rule set's {@link PrefilterIndex}, or -1 when compiled outside one.
   */
  private final int group;

  private LiteralPrefilter(Set<String> required, int group) {
    this.strings = new AhoCorasick(required);
    this.group = group;
  }

  /**
   * The prefilter for an RE2-syntax pattern, or null when no useful necessary literal set can be
   * derived.
   */
  static @Nullable LiteralPrefilter of(String re2Pattern) {
    return of(re2Pattern, null);
  }

  /**
   * {@link #of(String)}, registering the literals in {@code index} (when not null) for one scan per
   * text.
   */
  static @Nullable LiteralPrefilter of(String re2Pattern, PrefilterIndex.@Nullable Builder index) {
    try {
      Parser p = new Parser(re2Pattern);
      Info root = p.alternation();
      if (p.i != re2Pattern.length()) {
        return null;
      }
      Set<String> required = root.anyOf();
      if (required == null || required.isEmpty() || required.contains("")) {
        return null;
      }
      return new LiteralPrefilter(required, index == null ? -1 : index.register(required));
    } catch (RuntimeException e) {
      return null; // syntax this reader does not follow: no prefilter, RE2 decides alone
    }
  }

  /**
   * {@link #mayMatch(String)}, read from the request's scan of {@code input} when this prefilter is
   * indexed.
   */
  boolean mayMatch(String input, @Nullable MatchContext context) {
    if (group >= 0 && context != null) {
      PrefilterIndex.Hits hits = context.literalHits(input);
      if (hits != null) {
        return hits.mayContain(group);
      }
    }
    return mayMatch(input);
  }

  boolean mayMatch(String input) {
    // RE2's case folding maps 'k' and 's' to U+212A and U+017F too: beyond Latin-1, let RE2 decide
    return strings.findsOrBeyondLatin1(input);
  }

  private static final class Decoded {
    static boolean hex2(String s, int i) {
      return i + 2 <= s.length()
          && Character.digit(s.charAt(i), 16) >= 0
          && Character.digit(s.charAt(i + 1), 16) >= 0;
    }
  }

  /**
   * exact: the node matches exactly one of these strings; any: every match contains one of these;
   * null = unknown.
   */
  record Info(@Nullable Set<String> exact, @Nullable Set<String> any) {
    static final Info UNKNOWN = new Info(null, null);
    static final Info EMPTY = new Info(Set.of(""), null);

    @Nullable Set<String> anyOf() {
      return exact != null ? exact : any;
    }
  }

  private static final class Parser {
    private final String s;
    private int i;

    Parser(String s) {
      this.s = s;
    }

    Info alternation() {
      Info first = concatenation();
      if (i >= s.length() || s.charAt(i) != '|') {
        return first;
      }
      Set<String> exact = first.exact == null ? null : new HashSet<>(first.exact);
      Set<String> any = first.anyOf() == null ? null : new HashSet<>(first.anyOf());
      while (i < s.length() && s.charAt(i) == '|') {
        i++;
        Info next = concatenation();
        exact = exact == null || next.exact == null ? null : union(exact, next.exact);
        any = any == null || next.anyOf() == null ? null : union(any, next.anyOf());
      }
      return new Info(exact, any);
    }

    private static @Nullable Set<String> union(Set<String> a, Set<String> b) {
      Set<String> out = new HashSet<>(a);
      out.addAll(b);
      return out.size() > MAX_STRINGS ? null : out;
    }

    Info concatenation() {
      Set<String> run = Set.of("");
      Set<String> best = null;
      boolean inexact = false;
      while (i < s.length() && s.charAt(i) != '|' && s.charAt(i) != ')') {
        Info raw = atom();
        Info atom = quantified(raw);
        if (atom.exact != null) {
          Set<String> crossed = cross(run, atom.exact);
          if (crossed != null) {
            run = crossed;
          } else {
            inexact = true; // too many combinations: keep the better half as a necessary set
            best = better(best, run);
            run = atom.exact;
          }
          continue;
        }
        inexact = true;
        if (raw.exact != null && atom.any != null && !raw.exact.contains("")) {
          // E+ (or E{n,} with n >= 1): its first repetition follows the run, its last one precedes
          // the next atom, e.g. "at" + one of [\s\x0b] for at[\s\x0b]+
          Set<String> crossed = cross(run, raw.exact);
          best = better(best, crossed != null ? crossed : run);
          run = raw.exact;
          continue;
        }
        best = better(better(best, run), atom.any);
        run = Set.of("");
      }
      if (!inexact) {
        return new Info(run, null);
      }
      return new Info(null, better(best, run));
    }

    private static @Nullable Set<String> cross(Set<String> a, Set<String> b) {
      if ((long) a.size() * b.size() > MAX_STRINGS) {
        return null;
      }
      Set<String> out = new HashSet<>();
      for (String x : a) {
        for (String y : b) {
          out.add(x + y);
        }
      }
      return out;
    }

    /**
     * The more selective of two necessary sets (longer shortest string); null and sets with "" are
     * useless.
     */
    private static @Nullable Set<String> better(@Nullable Set<String> a, @Nullable Set<String> b) {
      if (b == null || b.isEmpty() || b.contains("")) {
        return a;
      }
      if (a == null || a.isEmpty() || a.contains("")) {
        return b;
      }
      return minLength(b) > minLength(a) ? b : a;
    }

    private static int minLength(Set<String> set) {
      int min = Integer.MAX_VALUE;
      for (String x : set) {
        min = Math.min(min, x.length());
      }
      return min;
    }

    Info quantified(Info atom) {
      if (i >= s.length()) {
        return atom;
      }
      char c = s.charAt(i);
      int min;
      if (c == '*' || c == '?') {
        i++;
        min = 0;
      } else if (c == '+') {
        i++;
        min = 1;
      } else if (c == '{'
          && s.indexOf('}', i) > i
          && s.substring(i + 1, s.indexOf('}', i)).matches("\\d+(,\\d*)?")) {
        String body = s.substring(i + 1, s.indexOf('}', i));
        i = s.indexOf('}', i) + 1;
        min = Integer.parseInt(body.split(",")[0]);
      } else {
        return atom;
      }
      if (i < s.length() && s.charAt(i) == '?') {
        i++; // lazy: same language
      }
      if (min == 0) {
        return Info.UNKNOWN;
      }
      return new Info(null, atom.anyOf());
    }

    Info atom() {
      char c = s.charAt(i);
      switch (c) {
        case '(':
          return group();
        case '[':
          return charClass();
        case '.':
          i++;
          return Info.UNKNOWN;
        case '^', '$':
          i++;
          return Info.EMPTY;
        case '\\':
          return escape();
        default:
          i++;
          return literal(c);
      }
    }

    private static Info literal(char c) {
      if (c >= 128) {
        return Info.UNKNOWN;
      }
      return new Info(Set.of(String.valueOf(c).toLowerCase(Locale.ROOT)), null);
    }

    private int depth;

    Info group() {
      if (++depth > 200) {
        throw new IllegalArgumentException("nested too deeply");
      }
      i++;
      if (s.startsWith("?", i)) {
        int close = s.indexOf(')', i);
        int colon = s.indexOf(':', i);
        if ((s.startsWith("?P<", i) || s.startsWith("?<", i))
            && !s.startsWith("?<=", i)
            && !s.startsWith("?<!", i)
            && s.indexOf('>', i) > i) {
          i = s.indexOf('>', i) + 1;
        } else if (colon >= 0
            && (close < 0 || colon < close)
            && s.substring(i + 1, colon).matches("[a-zA-Z-]*")) {
          i = colon + 1;
        } else if (close >= 0 && s.substring(i + 1, close).matches("[a-zA-Z-]*")) {
          i = close + 1; // flags only, e.g. (?i): matches the empty string
          return Info.EMPTY;
        } else {
          throw new IllegalArgumentException("unsupported group at " + i);
        }
      }
      Info inner = alternation();
      if (i >= s.length() || s.charAt(i) != ')') {
        throw new IllegalArgumentException("unclosed group");
      }
      i++;
      depth--;
      return inner;
    }

    Info charClass() {
      int end = i + 1;
      if (end < s.length() && s.charAt(end) == '^') {
        return skipClass();
      }
      Set<String> chars = new HashSet<>();
      int j = i + 1;
      boolean first = true;
      while (j < s.length() && (s.charAt(j) != ']' || first)) {
        first = false;
        if (s.startsWith("[:", j)) {
          return skipClass();
        }
        if (s.startsWith("\\s", j)) {
          chars.addAll(RE2_SPACE); // RE2's \s: no \v, unlike PCRE's
          j += 2;
          continue;
        }
        long lo = classChar(j);
        if (lo < 0) {
          return skipClass();
        }
        j = (int) (lo >>> 32);
        int hi = (char) lo;
        if (j + 1 < s.length() && s.charAt(j) == '-' && s.charAt(j + 1) != ']') {
          long top = classChar(j + 1); // a range: kept when short, as PCRE's \s becomes \t-\r
          if (top < 0 || (char) top < (char) lo || (char) top - (char) lo >= 8) {
            return skipClass();
          }
          j = (int) (top >>> 32);
          hi = (char) top;
        }
        if (hi >= 128) {
          return skipClass();
        }
        for (int c = (char) lo; c <= hi; c++) {
          chars.add(String.valueOf((char) c).toLowerCase(Locale.ROOT));
        }
      }
      if (j >= s.length()) {
        throw new IllegalArgumentException("unclosed class");
      }
      i = j + 1;
      return chars.size() <= 8 && !chars.isEmpty() ? new Info(chars, null) : Info.UNKNOWN;
    }

    /**
     * The single char a class element at {@code j} stands for and the position after it, packed
     * ({@code next << 32 | char}), or -1 for anything else (class escapes, unsure escapes).
     */
    private long classChar(int j) {
      char c = s.charAt(j);
      if (c != '\\') {
        return (long) (j + 1) << 32 | c;
      }
      if (j + 1 >= s.length()) {
        throw new IllegalArgumentException("dangling escape");
      }
      char n = s.charAt(j + 1);
      if (n == 'x') {
        return Decoded.hex2(s, j + 2)
            ? (long) (j + 4) << 32 | Integer.parseInt(s.substring(j + 2, j + 4), 16)
            : -1;
      }
      Character lit = escapedLiteral(n);
      return lit == null ? -1 : (long) (j + 2) << 32 | lit;
    }

    private Info skipClass() {
      int j = i + 1;
      if (j < s.length() && s.charAt(j) == '^') {
        j++;
      }
      if (j < s.length() && s.charAt(j) == ']') {
        j++;
      }
      while (j < s.length() && s.charAt(j) != ']') {
        if (s.charAt(j) == '\\') {
          j++;
        } else if (s.startsWith("[:", j)) {
          j = s.indexOf(":]", j) + 1;
        }
        j++;
      }
      if (j >= s.length()) {
        throw new IllegalArgumentException("unclosed class");
      }
      i = j + 1;
      return Info.UNKNOWN;
    }

    Info escape() {
      char n = s.charAt(i + 1);
      i += 2;
      if (n == 'b' || n == 'B' || n == 'A' || n == 'z') {
        return Info.EMPTY;
      }
      if (n == 'x' && i + 1 < s.length() && Decoded.hex2(s, i)) {
        char c = (char) Integer.parseInt(s.substring(i, i + 2), 16);
        i += 2;
        return literal(c);
      }
      if (n == 'x' || n == 'p' || n == 'P' || n == 'Q' || Character.isDigit(n)) {
        throw new IllegalArgumentException("escape not followed: \\" + n);
      }
      Character lit = escapedLiteral(n);
      return lit == null ? Info.UNKNOWN : literal(lit);
    }

    /**
     * The literal char an escape stands for, or null for classes (\d, \w, \s...) and anything
     * unsure.
     */
    private static @Nullable Character escapedLiteral(char n) {
      switch (n) {
        case 'n':
          return '\n';
        case 'r':
          return '\r';
        case 't':
          return '\t';
        case 'f':
          return '\f';
        case 'v':
          return (char) 11;
        default:
          return Character.isLetterOrDigit(n) ? null : n;
      }
    }
  }
}
