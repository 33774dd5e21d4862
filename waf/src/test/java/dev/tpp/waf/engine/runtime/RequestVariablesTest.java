package dev.tpp.waf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Variable semantics CRS 4's regression tests depend on, as ModSecurity's reference manual gives
 * them.
 */
class RequestVariablesTest {

  private static List<String> ids(String rules, String uri, String contentType, String body)
      throws Exception {
    WafEngine engine = WafEngine.builder().rules("t", rules, Path.of(".")).build();
    List<Map.Entry<String, String>> headers =
        new ArrayList<>(List.of(Map.entry("Host", "localhost")));
    if (contentType != null) {
      headers.add(Map.entry("Content-Type", contentType));
    }
    byte[] bytes = body == null ? null : body.getBytes(StandardCharsets.ISO_8859_1);
    WafRequest request =
        new WafRequest(
            "t-1",
            "127.0.0.1",
            1234,
            "127.0.0.1",
            80,
            body == null ? "GET" : "POST",
            uri,
            "HTTP/1.1",
            headers,
            bytes,
            null,
            bytes == null ? 0 : bytes.length);
    return engine.inspect(request).matches().stream().map(RuleMatch::ruleId).toList();
  }

  @Test
  void requestBodyIsFilledOnlyByTheUrlencodedProcessorOrWhenForced() throws Exception {
    String rule = "SecRule REQUEST_BODY \"@contains evil\" \"id:1,phase:2,pass,log\"\n";
    assertEquals(List.of("1"), ids(rule, "/", "application/x-www-form-urlencoded", "a=evil"));
    assertEquals(List.of(), ids(rule, "/", "application/xml", "<a>evil</a>"));
    assertEquals(List.of(), ids(rule, "/", "application/json", "{\"a\":\"evil\"}"));
    String forced = "SecAction \"id:2,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On\"\n";
    assertEquals(List.of("1"), ids(forced + rule, "/", "application/xml", "<a>evil</a>"));
  }

  @Test
  void aFragmentIsNoPartOfArgsQueryStringOrRequestUri() throws Exception {
    // CRS 920100's test sends "?I=Like&Apples=Today#tag": ARGS:Apples is "Today", as in ModSecurity
    String rules =
        """
        SecRule ARGS:Apples "@streq Today" "id:1,phase:1,pass,log"
        SecRule QUERY_STRING "@endsWith Today" "id:2,phase:1,pass,log"
        SecRule REQUEST_URI "@endsWith Today" "id:3,phase:1,pass,log"
        SecRule REQUEST_URI_RAW "@endsWith #tag" "id:4,phase:1,pass,log"
        SecRule REQUEST_FILENAME "@streq /a" "id:5,phase:1,pass,log"
        """;
    assertEquals(
        List.of("1", "2", "3", "4"), ids(rules, "/index.html?I=Like&Apples=Today#tag", null, null));
    assertEquals(List.of("5"), ids(rules, "/a#?Apples=Today", null, null));
  }

  @Test
  void reqbodyProcessorIsKnownInPhaseOneAndEmptyWithoutOne() throws Exception {
    String rules =
        """
        SecRule REQBODY_PROCESSOR "@streq XML" "id:1,phase:1,pass,log"
        SecRule REQBODY_PROCESSOR "!@rx (?:URLENCODED|MULTIPART|XML|JSON)" "id:2,phase:1,pass,log"
        """;
    assertEquals(List.of("1"), ids(rules, "/", "text/xml", "<a/>"));
    assertEquals(List.of("2"), ids(rules, "/", "text/plain", "x"));
  }

  @Test
  void matchedVarsHoldOnlyWhatTheCurrentRuleMatched() throws Exception {
    String rules =
        """
        SecRule REQUEST_FILENAME "@contains post" "id:1,phase:2,pass,nolog"
        SecRule ARGS "@contains x" "id:2,phase:2,pass,log,chain"
          SecRule MATCHED_VARS "!@rx ^x$"
        """;
    assertEquals(List.of(), ids(rules, "/post?a=x", null, null));
    assertEquals(List.of("2"), ids(rules, "/post?a=xy", null, null));
  }

  @Test
  void requestFilenameIsThePercentDecodedPath() throws Exception {
    String rule = "SecRule REQUEST_FILENAME \"@endsWith /a b(\" \"id:1,phase:1,pass,log\"\n";
    assertEquals(List.of("1"), ids(rule, "/get/a%20b%28?q=1", null, null));
    assertEquals(List.of(), ids(rule, "/get/a+b%28", null, null));
  }

  @Test
  void requestBasenameIsWhatFollowsTheLastSlashOnly() throws Exception {
    String rule = "SecRule REQUEST_BASENAME \"@endsWith .com\" \"id:1,phase:1,pass,log\"\n";
    assertEquals(List.of("1"), ids(rule, "/www.cnn.com", null, null));
    assertEquals(
        List.of(), ids(rule, "www.cnn.com", null, null), "no slash, no basename (ModSecurity)");
  }
}
