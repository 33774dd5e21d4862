package dev.tpp.waf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BodyProcessorsTest {

  private static BodyData run(String contentType, String body) {
    BodyData out = new BodyData();
    BodyProcessors.run(BodyProcessors.byContentType(contentType), contentType, body, out);
    return out;
  }

  @Test
  void choosesProcessorByContentType() {
    assertEquals(
        "URLENCODED",
        BodyProcessors.byContentType("application/x-www-form-urlencoded; charset=utf-8"));
    assertEquals("MULTIPART", BodyProcessors.byContentType("multipart/form-data; boundary=x"));
    assertEquals("JSON", BodyProcessors.byContentType("application/vnd.api+json"));
    assertEquals("XML", BodyProcessors.byContentType("text/xml"));
    assertEquals("", BodyProcessors.byContentType("text/plain"));
  }

  @Test
  void urlencodedBodyBecomesDecodedArgs() {
    assertEquals(
        List.of(new KeyValue("a b", "1+1=2"), new KeyValue("c", "")),
        run("application/x-www-form-urlencoded", "a+b=1%2B1%3D2&c").args);
  }

  @Test
  void jsonIsFlattenedWithModSecurityNames() {
    BodyData d = run("application/json", "{\"a\":{\"b\":[1,\"x\"]},\"c\":true}");
    assertEquals(
        List.of(
            new KeyValue("json.a.b.0", "1"),
            new KeyValue("json.a.b.1", "x"),
            new KeyValue("json.c", "true")),
        d.args);
    assertFalse(d.error);
    assertTrue(run("application/json", "{\"a\":").error);
  }

  @Test
  void xmlTextAndAttributesAreExtractedAndDoctypesRefused() {
    BodyData d = run("application/xml", "<a x=\"attr\"><b>one</b>two</a>");
    assertEquals(List.of("onetwo"), d.xmlText);
    assertEquals(List.of("attr"), d.xmlAttributes);
    BodyData xxe =
        run(
            "application/xml",
            "<!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>");
    assertTrue(xxe.error);
    assertTrue(xxe.xmlText.isEmpty());
  }

  @Test
  void multipartSplitsFieldsFilesAndPartHeaders() {
    String body =
        "--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n"
            + "--B\r\nContent-Disposition: form-data; name=\"up\"; filename=\"a.php\"\r\nContent-Type: text/plain\r\n\r\n<?php\r\n--B--\r\n";
    BodyData d = run("multipart/form-data; boundary=B", body);
    assertEquals(List.of(new KeyValue("f", "v")), d.args);
    assertEquals(List.of(new KeyValue("up", "a.php")), d.files);
    assertEquals(new KeyValue("up", "Content-Type: text/plain"), d.partHeaders.get(2));
    assertEquals(0, d.multipartFlags.get("MULTIPART_STRICT_ERROR"));
  }

  @Test
  void multipartRaisesStrictErrorFlags() {
    BodyData d =
        run(
            "multipart/form-data; boundary=\"B\"",
            "junk\r\n--B\r\nContent-Disposition: form-data; name='a'\r\n\r\nv\r\n--B--\r\nafter");
    assertEquals(1, d.multipartFlags.get("MULTIPART_BOUNDARY_QUOTED"));
    assertEquals(1, d.multipartFlags.get("MULTIPART_DATA_BEFORE"));
    assertEquals(1, d.multipartFlags.get("MULTIPART_DATA_AFTER"));
    assertEquals(1, d.multipartFlags.get("MULTIPART_INVALID_QUOTING"));
    assertEquals(1, d.multipartFlags.get("MULTIPART_STRICT_ERROR"));
    assertTrue(
        run(
                "multipart/form-data; boundary=B",
                "--B\r\nContent-Disposition: form-data; name=a\r\n\r\nv")
            .error);
  }

  @Test
  void jsonScalarsMustBeJsonLiteralsAndNullIsEmpty() {
    BodyData d = run("application/json", "{\"a\":null,\"b\":-1.5e3,\"c\":false}");
    assertEquals(
        List.of(
            new KeyValue("json.a", ""),
            new KeyValue("json.b", "-1.5e3"),
            new KeyValue("json.c", "false")),
        d.args);
    BodyData form = run("application/json", "coffee=kitchen+garden&passwd=1");
    assertTrue(form.error, "a urlencoded body sent as JSON is a JSON error, as yajl says");
    assertTrue(form.args.isEmpty());
  }

  @Test
  void brokenXmlKeepsTheTextBeforeTheErrorAsLibxml2Does() {
    BodyData d = run("application/xml", "<r><a>one</a><b>20% off & more</b></r>");
    assertTrue(d.error);
    assertEquals(List.of("one20% off "), d.xmlText);
    assertEquals(
        List.of("caf\u00c3\u00a9"),
        run("text/xml", "<r>caf\u00c3\u00a9</r>").xmlText,
        "UTF-8 bytes, one char each");
  }

  @Test
  void xmlTextStopsAtAControlCharacterWithTheTextBeforeItKept() {
    // libxml2 hands over the text it read before a character XML forbids, then fails
    String note = "<note>&lt;details open ontoggle=ale\u0000rt(1)&gt;</note>";
    BodyData nul =
        run(
            "application/xml",
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<r><a id=\"1\">one</a>" + note + "</r>");
    assertTrue(nul.error);
    assertEquals(List.of("one<details open ontoggle=ale"), nul.xmlText);
    BodyData trailing = run("application/xml", "<r a=\"v\">text</r>\u0001");
    assertTrue(trailing.error, "a forbidden character after the root is still an error");
    assertEquals(List.of("text"), trailing.xmlText);
    assertEquals(List.of("v"), trailing.xmlAttributes);
  }

  @Test
  void malformedMultipartBoundaryIsABodyErrorAndNothingIsParsed() {
    String body = "--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nv\r\n--B--\r\n";
    for (String ct :
        List.of(
            "multipart/form-data; boundary=\"B",
            "multipart/form-data; boundary=B\"",
            "multipart/form-data; boundary=B; boundary=C",
            "multipart/form-data; Boundary=B",
            "multipart/form-data, x; boundary=B")) {
      BodyData d = run(ct, body);
      assertTrue(d.error, ct);
      assertTrue(d.args.isEmpty(), ct);
      assertEquals(1, d.multipartFlags.get("MULTIPART_STRICT_ERROR"), ct);
    }
    BodyData quoted = run("multipart/form-data; boundary=\"B\"", body);
    assertFalse(quoted.error);
    assertEquals(1, quoted.multipartFlags.get("MULTIPART_BOUNDARY_QUOTED"));
    BodyData noSemicolon = run("multipart/form-data boundary=B; charset=utf-8", body);
    assertEquals(List.of(new KeyValue("f", "v")), noSemicolon.args);
    assertEquals(1, noSemicolon.multipartFlags.get("MULTIPART_MISSING_SEMICOLON"));
  }

  @Test
  void contentDispositionIsReadAsModSecurityReadsIt() {
    java.util.function.Function<String, BodyData> withPart =
        cd ->
            run(
                "multipart/form-data; boundary=B",
                "--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B\r\nContent-Disposition: "
                    + cd
                    + "\r\n\r\nv\r\n--B--\r\n");
    for (String bad :
        List.of(
            "form-data; name=\"f\"; size=3",
            "Form-Data; name=\"f\"",
            "form-data; name=\"f\"x",
            "form-data; name=\"f\"; name=\"g\"")) {
      BodyData d = withPart.apply(bad);
      assertTrue(d.error, bad);
      assertTrue(d.args.isEmpty(), "no part reaches ARGS after an error: " + bad);
    }
    BodyData single = withPart.apply("form-data; name='f'");
    assertEquals(List.of(new KeyValue("a", "1"), new KeyValue("f", "v")), single.args);
    assertEquals(1, single.multipartFlags.get("MULTIPART_INVALID_QUOTING"));
    BodyData star =
        withPart.apply("form-data; name=\"f\"; filename*=UTF-8''a%20b.txt; filename=\"c\"");
    assertEquals(List.of(new KeyValue("f", "c")), star.files);
    assertFalse(star.error);
  }
}
