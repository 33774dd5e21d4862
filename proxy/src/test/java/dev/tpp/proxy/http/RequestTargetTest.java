package dev.tpp.proxy.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
