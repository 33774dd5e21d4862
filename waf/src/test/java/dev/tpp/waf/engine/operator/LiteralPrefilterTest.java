package dev.tpp.waf.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.waf.engine.seclang.MacroText;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LiteralPrefilterTest {

  @Test
  void derivesNecessaryLiteralsFromAlternationsAndConcatenations() {
    LiteralPrefilter p = LiteralPrefilter.of("(?i)\\b(?:union|select)\\s+(?:all|distinct)");
    assertNotNull(p);
    assertTrue(p.mayMatch("x UNION all"));
    assertFalse(p.mayMatch("nothing to see here"));
  }

  @Test
  void crossesARepeatedClassWithItsNeighbours() {
    // CRS 952110's at[\s\x0b]+: "at" then a space char (RE2's \s has no \v: \x0b is listed)
    LiteralPrefilter p = LiteralPrefilter.of("(?i)\\bat[\\s\\x0b]+(?:org|com)\\b");
    assertNotNull(p);
    assertFalse(p.mayMatch("a great shoe,comfortable, from the web.org"));
    assertTrue(p.mayMatch("AT\u000bCOM"));
    assertTrue(p.mayMatch("at\r\n org"));
    assertTrue(p.mayMatch("at\fcom"));
  }

  @Test
  void givesUpWhenAMatchNeedsNoLiteral() {
    assertNull(LiteralPrefilter.of("^.*$"));
    assertNull(LiteralPrefilter.of("a?b*"));
    assertNull(LiteralPrefilter.of("[^a]+"));
    assertNull(LiteralPrefilter.of("(?:abc|.)"));
  }

  @Test
  void leavesCharactersBeyondLatin1ToRe2() {
    LiteralPrefilter p = LiteralPrefilter.of("(?i)kill");
    assertTrue(p.mayMatch("\u212Aill")); // KELVIN SIGN folds to k in RE2
  }

  @Test
  void neverRulesOutAnInputThatRe2Matches() {
    String[] patterns = {
      "(?i)(?:on(?:load|error)|java\\x73cript:)",
      "a[bc]+d(?:ef|gh)?",
      "(?:x|yz){2,}w",
      "\\bselect\\b.*?from",
      "(?i)<\\s*scr(?:ipt)?",
      "[\\\\/]etc[\\\\/]passwd",
      "(?:^|;)\\s*(?:cat|ls)\\b",
      "ab(?i:CD)ef",
      "(?i)\\bat[\\s\\x0b]+(?:ja(?:vax?|karta)|org|com)\\b",
      "x[\\x41-\\x43]+y",
      "(?i)at[\\t-\\r \\x0b]+com", // PcreTranslator's form of [\s\x0b]
      "a[\\s-]+b",
      "(?:ab|c)+d",
      "q[\\x3b:]{2,}z[\\s]{1,3}w"
    };
    String alphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ;:/\\<> \t\n\r\f\u000b-\u00e9";
    Random random = new Random(7);
    PrefilterIndex.Builder builder = new PrefilterIndex.Builder();
    List<LiteralPrefilter> indexed = new ArrayList<>();
    for (String pattern : patterns) {
      indexed.add(LiteralPrefilter.of(pattern, builder));
    }
    PrefilterIndex index = builder.build();
    for (int i = 0; i < patterns.length; i++) {
      String pattern = patterns[i];
      LiteralPrefilter p = LiteralPrefilter.of(pattern);
      LiteralPrefilter q = indexed.get(i);
      com.google.re2j.Pattern re2 =
          com.google.re2j.Pattern.compile(pattern, com.google.re2j.Pattern.DOTALL);
      for (int n = 0; n < 20000; n++) {
        StringBuilder b = new StringBuilder();
        for (int k = random.nextInt(12); k >= 0; k--) {
          b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        if (random.nextBoolean()) {
          b.insert(random.nextInt(b.length() + 1), sample(pattern, random));
        }
        String input = b.toString();
        if (re2.matcher(input).find()) {
          assertTrue(p == null || p.mayMatch(input), pattern + " on " + input);
        }
        if (p != null) {
          assertEquals(
              p.mayMatch(input), q.mayMatch(input, scanned(index)), pattern + " on " + input);
        }
      }
    }
  }

  @Test
  void indexScanTellsEachPrefilterWhetherItsLiteralsOccur() {
    PrefilterIndex.Builder builder = new PrefilterIndex.Builder();
    LiteralPrefilter script = LiteralPrefilter.of("(?i)<script|javascript:", builder);
    LiteralPrefilter union = LiteralPrefilter.of("(?i)union\\s+select", builder);
    LiteralPrefilter sameLiterals =
        LiteralPrefilter.of("(?i)(?:<script|javascript:)\\s*x", builder);
    MatchContext ctx = scanned(builder.build());
    assertFalse(script.mayMatch("plain words about java and scripts", ctx));
    assertTrue(script.mayMatch("x<SCRIPT>", ctx));
    assertFalse(union.mayMatch("x<SCRIPT>", ctx));
    assertTrue(sameLiterals.mayMatch("JavaScript:alert", ctx));
    assertTrue(union.mayMatch("\u212A<script", ctx)); // beyond Latin-1: RE2 decides
  }

  /** A context that scans each text with {@code index}, as a transaction does. */
  private static MatchContext scanned(PrefilterIndex index) {
    return new MatchContext() {
      @Override
      public boolean capturing() {
        return false;
      }

      @Override
      public void capture(List<String> groups) {}

      @Override
      public String expand(MacroText text) {
        return text.text();
      }

      @Override
      public PrefilterIndex.Hits literalHits(String text) {
        return index.scan(text);
      }
    };
  }

  private static String sample(String pattern, Random random) {
    String[] pieces = {
      "onload",
      "JAVAscript:",
      "abbcdef",
      "xyzyzw",
      "select a from",
      "<  SCRipt",
      "/etc\\passwd",
      ";cat",
      "abCdef",
      "at \u000bCom",
      "xAbBy",
      "a -\tb",
      "ababcd",
      "q;:z \fw"
    };
    return pieces[random.nextInt(pieces.length)];
  }
}
