package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The response lane of the shared literal scan: a 64 KB page is scanned once for every phase-4
 * {@code @pm}/{@code @pmFromFile} list and regex literal, and each rule still matches wherever its
 * phrase sits (start, middle, end of the body), in any ASCII case, in a transformed value, and
 * negated; a request rule with the same phrase keeps its own scan. The log names the phrase as the
 * list spells it.
 */
class ResponseBodyScanTest {
  private static final String RULES =
      """
      SecResponseBodyAccess On
      SecResponseBodyMimeType text/html
      SecRule ARGS "@pm Fatal_Error" "id:1,phase:2,pass,log"
      SecRule RESPONSE_BODY "@pm Fatal_Error mysql_fetch" \\
        "id:10,phase:4,pass,log,capture,logdata:'%{TX.0}'"
      SecRule RESPONSE_BODY "@pmFromFile errors.data" "id:11,phase:4,pass,log"
      SecRule RESPONSE_BODY "@rx (?i)at[\\s\\x0b]+com\\.example" "id:12,phase:4,pass,log"
      SecRule RESPONSE_BODY "!@pm Fatal_Error mysql_fetch" "id:13,phase:4,pass,log"
      SecRule RESPONSE_BODY "@pm fatalerror" "id:14,phase:4,pass,log,t:none,t:removeWhitespace"
      """;

  @TempDir Path dir;

  private List<String> ids(String body) throws Exception {
    Files.writeString(dir.resolve("errors.data"), "# test list\nUnclosed quotation mark\n");
    WafEngine waf = WafEngine.builder().rules("t", RULES, dir).build();
    WafTransaction tx = waf.begin(Requests.get("/page?q=fatal_error"));
    assertEquals(
        List.of("1"), tx.requestVerdict().matches().stream().map(RuleMatch::ruleId).toList());
    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
    WafVerdict v =
        tx.inspectResponse(
            new WafResponse(
                200,
                "HTTP/1.1",
                List.of(Map.entry("Content-Type", "text/html")),
                bytes,
                bytes.length));
    return v.matches().stream()
        .map(m -> m.ruleId() + (m.ruleId().equals("10") ? "=" + m.data() : ""))
        .toList();
  }

  private static String page(String at, String phrase) {
    String page = new String(HtmlPage.of(65536), StandardCharsets.ISO_8859_1);
    int mid = page.length() / 2;
    return switch (at) {
      case "start" -> phrase + page;
      case "middle" -> page.substring(0, mid) + phrase + page.substring(mid);
      default -> page + phrase;
    };
  }

  @Test
  void benignPageMatchesOnlyTheNegatedRule() throws Exception {
    assertEquals(List.of("13"), ids(page("end", "")));
  }

  @Test
  void phraseMatchesAtStartMiddleAndEndInAnyCase() throws Exception {
    for (String at : List.of("start", "middle", "end")) {
      assertEquals(List.of("10=Fatal_Error"), ids(page(at, "FATAL_error")), at);
      assertEquals(List.of("10=mysql_fetch"), ids(page(at, "MySQL_Fetch_array()")), at);
      assertEquals(List.of("11", "13"), ids(page(at, "unclosed QUOTATION mark")), at);
      assertEquals(List.of("12", "13"), ids(page(at, "at\u000bCOM.example")), at);
    }
  }

  @Test
  void phraseMadeByATransformationMatches() throws Exception {
    assertEquals(List.of("13", "14"), ids(page("middle", "fatal\terror")));
    assertEquals(List.of("12", "13"), ids(page("start", "AT \n\tcom.example")));
  }
}
