package dev.tpp.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestTargetTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/c/../admin              | /admin",
        "//admin                  | /admin",
        "/%61dmin                 | /admin",
        "/%2e%2e/x/../admin       | ",
        "/a/%2E%2E/admin          | /admin",
        "/stream/../c/x?q=1%20union%20select%201 | /c/x?q=1%20union%20select%201",
        "/a/./b/                  | /a/b/",
        "/a/b/..                  | /a/",
        "/a/.                     | /a/",
        "/a%3fb                   | /a%3Fb",
        "/a%7e                    | /a~",
        "/x#frag                  | /x",
        "/?a=../b                 | /?a=../b",
        "http://evil.test/x?y     | /x?y",
        "HTTP://evil.test         | /",
        "https://evil.test:8443?q | /?q",
      })
  void normalisesThePath(String raw, String expected) {
    if (expected == null) {
      assertThrows(RequestRejectedException.class, () -> RequestTarget.parse(raw, false));
    } else {
      assertEquals(expected, RequestTarget.parse(raw, false).originForm());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/../etc/passwd           | path climbs above the root",
        "/a/%2F../admin           | encoded / in the path",
        "/a%5Cb                   | encoded \\ in the path",
        "/a%00b                   | encoded NUL in the path",
        "/a\\b                    | backslash in the path",
        "/a%zz                    | malformed percent-encoding in the path",
        "/a%4                     | malformed percent-encoding in the path",
        "/public/..;/admin        | dot segment with parameters in the path",
        "*                        | request-target is neither an absolute path nor an http(s) URI",
        "evil.test:443            | request-target is neither an absolute path nor an http(s) URI",
        "ftp://evil.test/         | request-target is neither an absolute path nor an http(s) URI",
        "http://user@evil.test/   | invalid authority in the absolute-form request-target",
        "http:///x                | invalid authority in the absolute-form request-target",
      })
  void refuses(String raw, String message) {
    assertEquals(
        message,
        assertThrows(RequestRejectedException.class, () -> RequestTarget.parse(raw, false))
            .getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/api/group%2fproject | /api/group%2Fproject",
        "/a/..%2F/b           | /a/..%2F/b",
      })
  void keepsAnEncodedSlashEncodedWhenAllowed(String raw, String expected) {
    assertEquals(expected, RequestTarget.parse(raw, true).originForm());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {"http://evil.test/x | evil.test", "http://[::1]:80/ | [::1]:80"})
  void takesTheAuthorityOfAnAbsoluteForm(String raw, String authority) {
    assertEquals(authority, RequestTarget.parse(raw, false).authority());
  }

  /**
   * The shortcut for targets already normal ({@link RequestTarget#normalQueryStart}) must give what
   * the full parse gives: random targets over the characters that matter (separators, dots,
   * escapes, {@code ;}, {@code ?}, {@code #}, backslash), compared whenever the shortcut applies.
   */
  @Test
  void theShortcutForNormalTargetsAgreesWithTheFullParse() {
    Random random = new Random(13);
    String alphabet = "/./?#%;\\a2F.";
    int shortcuts = 0;
    for (int n = 0; n < 50_000; n++) {
      StringBuilder raw = new StringBuilder("/");
      for (int len = random.nextInt(12); len > 0; len--) {
        raw.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String target = raw.toString();
      if (RequestTarget.normalQueryStart(target) < 0) {
        continue;
      }
      shortcuts++;
      assertEquals(RequestTarget.parseFully(target, false), RequestTarget.parse(target, false));
      assertEquals(target, RequestTarget.parse(target, false).originForm());
    }
    assertTrue(shortcuts > 1000, "the shortcut applied to " + shortcuts + " targets");
  }
}
