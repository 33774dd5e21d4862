package dev.tpp.waf.engine.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.waf.engine.seclang.MacroText;
import dev.tpp.waf.engine.seclang.Variable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OperatorsTest {
  /** A context that records captures and expands {@code %{tx.KEY}} from {@link #tx}. */
  static class Ctx implements MatchContext {
    final List<String> captured = new ArrayList<>();
    final Map<String, String> tx = new HashMap<>(Map.of("x", "X"));
    int expansions;

    @Override
    public boolean capturing() {
      return true;
    }

    @Override
    public void capture(List<String> groups) {
      captured.clear();
      captured.addAll(groups);
    }

    @Override
    public String expand(MacroText text) {
      expansions++;
      return text.expand(
          (variable, key) -> variable == Variable.TX ? tx.getOrDefault(key, "") : "");
    }
  }

  private static boolean m(String op, String param, String input) {
    return Operators.create(op, param, null, null).matches(input, new Ctx());
  }

  @Test
  void rxCapturesGroupsWhenAsked() {
    Ctx ctx = new Ctx();
    assertTrue(Operators.create("rx", "(\\d+)-(\\d+)", null, null).matches("a 12-34", ctx));
    assertEquals(List.of("12-34", "12", "34"), ctx.captured);
  }

  @Test
  void rxIsDotAllAndCaseSensitiveUnlessAsked() {
    assertTrue(m("rx", "a.b", "a\nb"));
    assertFalse(m("rx", "ABC", "abc"));
    assertTrue(m("rx", "(?i)ABC", "abc"));
  }

  @Test
  void pmIsCaseInsensitiveAndFindsAnyPhrase() {
    assertTrue(m("pm", "union select", "1 UNION 2"));
    assertFalse(m("pm", "union select", "unio"));
  }

  @Test
  void pmFromFileReadsPhrasesRelativeToTheRuleFile(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("words.data"), "# comment\n/etc/passwd\n\nboot.ini\n");
    Operator op = Operators.create("pmFromFile", "words.data", dir, null);
    assertTrue(op.matches("cat /ETC/passwd", new Ctx()));
    assertFalse(op.matches("comment", new Ctx()));
  }

  @Test
  void refusesADataFileThatIsNotARegularFile() {
    // /dev/zero never ends: reading it whole would hang the reload and exhaust the heap
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Operators.create("pmFromFile", "/dev/zero", null, null));
    assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
  }

  @Test
  void stringOperatorsExpandMacros() {
    assertTrue(m("streq", "%{tx.x}", "X"));
    assertTrue(m("contains", "b", "abc"));
    assertTrue(m("containsWord", "select", "a select b"));
    assertFalse(m("containsWord", "select", "selected"));
    assertTrue(m("beginsWith", "ab", "abc"));
    assertTrue(m("endsWith", "bc", "abc"));
    assertTrue(m("within", "GET POST", "POST"));
  }

  @Test
  void numericOperatorsParseLikeAtoi() {
    assertTrue(m("eq", "0", "abc"));
    assertTrue(m("gt", "5", "10"));
    assertTrue(m("ge", "10", "10x"));
    assertTrue(m("lt", "3", "-1"));
    assertTrue(m("le", "3", "3"));
  }

  @Test
  void ipMatchHandlesV4AndV6Cidrs() {
    assertTrue(m("ipMatch", "10.0.0.0/8,192.168.1.1", "10.2.3.4"));
    assertTrue(m("ipMatch", "10.0.0.0/8,192.168.1.1", "192.168.1.1"));
    assertFalse(m("ipMatch", "10.0.0.0/8", "11.0.0.1"));
    assertTrue(m("ipMatch", "2001:db8::/32", "2001:db8:1::5"));
    assertFalse(m("ipMatch", "2001:db8::/32", "not-an-ip.example"));
  }

  @Test
  void validatorsMatchInvalidInput() {
    assertTrue(m("validateByteRange", "32-126", "a\tb"));
    assertFalse(m("validateByteRange", "9,32-126", "a\tb"));
    assertTrue(m("validateUrlEncoding", "", "a%zz"));
    assertFalse(m("validateUrlEncoding", "", "a%20"));
    assertTrue(m("validateUtf8Encoding", "", "\u00c0\u00af"));
    assertFalse(m("validateUtf8Encoding", "", "\u00c3\u00a9"));
  }

  @Test
  void unconditionalAndNoMatch() {
    assertTrue(m("unconditionalMatch", "", "x"));
    assertFalse(m("noMatch", "", "x"));
  }

  @Test
  void unknownOperatorIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> Operators.create("frobnicate", "", null, null));
  }
}
