package dev.tpp.waf.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code @pm} read from the response lane of a {@link PrefilterIndex}, against its own scan. */
class PhrasesTest {

  /** A context that scans each text with {@code index}, as a transaction does. */
  private static OperatorsTest.Ctx scanning(PrefilterIndex index) {
    return new OperatorsTest.Ctx() {
      @Override
      public PrefilterIndex.Hits literalHits(String text) {
        return index.scan(text);
      }
    };
  }

  @Test
  void indexedPhrasesAnswerAsTheirOwnScanAndNameThePhrase() {
    PrefilterIndex.Builder builder = new PrefilterIndex.Builder();
    Phrases response = Phrases.of(List.of("ORA-009", "Fatal error"), builder.lane(1));
    Phrases request = Phrases.of(List.of("ORA-009"), builder.lane(0));
    Phrases other = Phrases.of(List.of("stack trace"), builder.lane(1));
    PrefilterIndex index = builder.build();
    for (String text :
        List.of(
            "ORA-00933 at the start",
            "in the middle: fatal ERROR here",
            "at the end ora-009",
            "nothing here",
            "\u017F wide chars, FATAL error",
            "\u017F wide chars only")) {
      OperatorsTest.Ctx own = new OperatorsTest.Ctx();
      OperatorsTest.Ctx scanned = scanning(index);
      boolean expected = response.matches(text, own);
      assertEquals(expected, response.matches(text, scanned), text);
      assertEquals(own.captured, scanned.captured, text);
      assertEquals(request.matches(text, own), request.matches(text, scanned), text);
    }
    OperatorsTest.Ctx ctx = scanning(index);
    assertTrue(response.matches("x FATAL ERROR y", ctx));
    assertEquals(List.of("Fatal error"), ctx.captured);
    assertFalse(other.matches("x FATAL ERROR y", ctx));
  }
}
