package dev.tpp.waf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.operator.PrefilterIndex;
import dev.tpp.waf.engine.seclang.MacroText;
import dev.tpp.waf.engine.seclang.ResponseRules;
import dev.tpp.waf.engine.seclang.RuleSet;
import dev.tpp.waf.engine.seclang.Variable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MacrosTest {

  private static Transaction tx() {
    WafRequest r =
        new WafRequest(
            "id-9",
            "192.0.2.1",
            1234,
            "10.0.0.1",
            80,
            "GET",
            "/p/a.php?x=1&Y=2",
            "HTTP/1.1",
            List.of(Map.entry("Host", "example.test:8080"), Map.entry("Cookie", "s=abc; t=d=e")),
            null,
            null,
            0);
    return new Transaction(
        new RuleSet(List.of(), List.of(), "On", true, 0, PrefilterIndex.EMPTY, ResponseRules.NONE),
        r);
  }

  private static String expand(String text, Transaction tx) {
    return MacroText.of(text).expand(tx.macros);
  }

  @Test
  void expandsCollectionsScalarsAndMissingValues() {
    Transaction tx = tx();
    tx.collection(Variable.TX).put("score", "5");
    assertEquals(
        "5/example.test:8080/2/none:",
        expand("%{TX.score}/%{request_headers.HOST}/%{ARGS.y}/none:%{tx.missing}", tx));
    assertEquals("192.0.2.1 id-9 GET", expand("%{REMOTE_ADDR} %{unique_id} %{REQUEST_METHOD}", tx));
  }

  @Test
  void constantsStayTheSameInstanceAndAnUnclosedMacroIsText() {
    Transaction tx = tx();
    MacroText constant = MacroText.of("no macro here %{");
    assertTrue(constant.isConstant());
    assertSame(constant.text(), constant.expand(tx.macros));
    assertEquals("a %{b", expand("a %{b", tx));
  }

  @Test
  void requestLinePartsAndCookiesFollowModSecurityNames() {
    Transaction tx = tx();
    assertEquals("/p/a.php", expand("%{REQUEST_FILENAME}", tx));
    assertEquals("a.php", expand("%{REQUEST_BASENAME}", tx));
    assertEquals("x=1&Y=2", expand("%{QUERY_STRING}", tx));
    assertEquals("GET /p/a.php?x=1&Y=2 HTTP/1.1", expand("%{REQUEST_LINE}", tx));
    assertEquals("d=e", expand("%{REQUEST_COOKIES.t}", tx));
    assertEquals("example.test", expand("%{SERVER_NAME}", tx));
  }
}
