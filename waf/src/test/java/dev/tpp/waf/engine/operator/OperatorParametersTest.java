package dev.tpp.waf.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Operator parameters are parsed once, when the operator is built: a constant is never expanded, a
 * macro is looked up per request (issue 18: no text scanning per request).
 */
class OperatorParametersTest {

  private static Operator op(String name, String param) {
    return Operators.create(name, param, null, null);
  }

  /** A context whose TX collection holds {@code key=value}. */
  private static OperatorsTest.Ctx tx(String key, String value) {
    OperatorsTest.Ctx ctx = new OperatorsTest.Ctx();
    ctx.tx.put(key, value);
    return ctx;
  }

  @Test
  void streqReadsTheMacroOfEachRequest() {
    Operator streq = op("streq", "%{tx.x}");
    OperatorsTest.Ctx ctx = tx("x", "first");
    assertTrue(streq.matches("first", ctx));
    ctx.tx.put("x", "second");
    assertFalse(streq.matches("first", ctx));
    assertTrue(streq.matches("second", ctx));
    assertEquals(3, ctx.expansions);
  }

  @Test
  void listsBuiltFromMacrosAndLiteralsExpandAsOneText() {
    // CRS: SecRule REQUEST_METHOD "!@within %{tx.allowed_methods}"
    Operator within = op("within", "%{tx.allowed_methods} PATCH");
    OperatorsTest.Ctx ctx = tx("allowed_methods", "GET HEAD POST OPTIONS");
    assertTrue(within.matches("POST", ctx));
    assertTrue(within.matches("PATCH", ctx));
    assertFalse(within.matches("DELETE", ctx));
    ctx.tx.remove("allowed_methods");
    assertFalse(within.matches("POST", ctx));
  }

  @Test
  void constantParametersAreNeverExpanded() {
    OperatorsTest.Ctx ctx = new OperatorsTest.Ctx();
    assertTrue(op("streq", "abc").matches("abc", ctx));
    assertTrue(op("within", "GET HEAD POST").matches("HEAD", ctx));
    assertTrue(op("ipMatch", "10.0.0.0/8,192.168.1.1").matches("192.168.1.1", ctx));
    assertFalse(op("ipMatch", "10.0.0.0/8,192.168.1.1").matches("192.168.1.2", ctx));
    assertTrue(op("ge", "5").matches("7", ctx));
    assertTrue(op("rx", "^a+b$").matches("aaab", ctx));
    assertTrue(op("pm", "union select").matches("x UNION y", ctx));
    // an unclosed %{ is no macro: the text as written
    assertTrue(op("streq", "100%{").matches("100%{", ctx));
    assertEquals(0, ctx.expansions);
  }

  @Test
  void rxCompilesAConstantPatternOnceAndAMacroPatternPerExpansion() {
    assertInstanceOf(ExpandedRegexOperator.class, op("rx", "^%{tx.types}$"));
    assertFalse(op("rx", "^(?:GET|HEAD)$") instanceof ExpandedRegexOperator);
    Operator rx = op("rx", "^(?:%{tx.types})$");
    for (String types : List.of("text/plain|text/html", "application/json")) {
      OperatorsTest.Ctx ctx = tx("types", types);
      assertEquals(types.contains("text/html"), rx.matches("text/html", ctx), types);
      assertEquals(types.contains("json"), rx.matches("application/json", ctx), types);
    }
  }

  @Test
  void aMacroNamingNoVariableFailsTheBuild() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> op("streq", "%{txx.a}"));
    assertTrue(e.getMessage().contains("unknown variable 'txx'"), e.getMessage());
  }
}
