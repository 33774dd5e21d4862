package dev.tpp.waf.engine.operator;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RepetitionLimitTest {

  @Test
  void refusesNestedCountsThatMultiplyBeyondRe2sLimit() {
    for (String p :
        new String[] {
          "(a{1000}){1000}", "a{1000}{2}", "((a{100})x){11}", "(?:(?:a{10,}){10}){11}"
        }) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Regex.compile(p), p);
      assertTrue(
          e.getMessage().contains("nested repetition counts multiply to more than 1000"),
          e.getMessage());
    }
  }

  @Test
  void acceptsWhatRe2Accepts() {
    for (String p :
        new String[] {
          "a{1000}",
          "(a{10}){100}",
          "(a{1000})*",
          "[{(]{1000}",
          "\\({1000}",
          "a{x}{1000}",
          "(?i)(?:union\\s+select){1,3}",
          "x{1,}",
          "(a{1000}|b{1000})"
        }) {
      assertDoesNotThrow(() -> RepetitionLimit.check(p), p);
    }
  }
}
