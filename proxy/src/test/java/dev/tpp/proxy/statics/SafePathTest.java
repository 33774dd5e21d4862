package dev.tpp.proxy.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafePathTest {

  @ParameterizedTest(name = "{0} under {1} -> ''{2}''")
  @CsvSource(
      delimiter = '|',
      emptyValue = "",
      value = {
        "/static/a.txt                | /static/ | a.txt",
        "/static/dir/b.css            | /static/ | dir/b.css",
        "/static/                     | /static/ | ''",
        "/static                      | /static  | ''",
        "/static/a                    | /static  | a",
        "/static//a.txt               | /static/ | a.txt",
        "/static/./a.txt              | /static/ | a.txt",
        "/static/a%20b.txt            | /static/ | a b.txt",
        "/static/caf%C3%A9.txt        | /static/ | café.txt",
        "/static/%252e%252e/secret    | /static/ | %2e%2e/secret",
        "/static/..a/b..              | /static/ | ..a/b..",
        "/static/%EF%BC%8E%EF%BC%8E/x | /static/ | ．．/x",
      })
  void decodesCleanPaths(String raw, String prefix, String expected) throws Exception {
    assertEquals(expected, SafePath.relative(raw, prefix));
  }

  @ParameterizedTest(name = "{0} under {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "/static/../etc/passwd        | /static/ | 403",
        "/static/a/../../etc/passwd   | /static/ | 403",
        "/static/%2e%2e/etc/passwd    | /static/ | 403",
        "/static/%2E%2E/etc/passwd    | /static/ | 403",
        "/static/.%2e/etc/passwd      | /static/ | 403",
        "/static/..%2fetc/passwd      | /static/ | 403",
        "/static/a%2Fb                | /static/ | 403",
        "/static/..%5cetc%5cpasswd    | /static/ | 403",
        "/static/a%00.txt             | /static/ | 403",
        "/static/..                   | /static  | 403",
        "/static/a%zz                 | /static/ | 400",
        "/static/a%2                  | /static/ | 400",
        "/static/a%                   | /static/ | 400",
        "/static/a%１１                | /static/ | 400",
        "/static/%c3%28               | /static/ | 400",
        "/static/%ff                  | /static/ | 400",
        "/static/a b                  | /static/ | 400",
        "/static/café                 | /static/ | 400",
        "/staticfoo                   | /static  | 404",
        "/static../x                  | /static  | 404",
        "/other/a                     | /static/ | 404",
      })
  void rejectsBadPaths(String raw, String prefix, int status) {
    HttpStatusException e =
        assertThrows(HttpStatusException.class, () -> SafePath.relative(raw, prefix));
    assertEquals(status, e.status(), e.getMessage());
  }

  @TempDir Path tmp;
  Path root;
  SafePath paths;

  @BeforeEach
  void tree() throws Exception {
    root = Files.createDirectories(tmp.resolve("www"));
    Files.writeString(root.resolve("a.txt"), "a");
    Files.createDirectories(root.resolve("docs"));
    Files.writeString(root.resolve("docs/index.html"), "<p>docs</p>");
    Files.createDirectories(root.resolve("empty"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(root.resolve("link-out.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("dir-out"), outside);
    Files.createSymbolicLink(root.resolve("link-in.txt"), root.resolve("a.txt"));
    Files.createSymbolicLink(root.resolve("dangling"), tmp.resolve("nothing"));
    paths = new SafePath(root.toString(), "index.html");
  }

  @Test
  void locatesFilesAndLinksInsideTheRoot() throws Exception {
    assertEquals(root.resolve("a.txt").toRealPath(), paths.locate("a.txt"));
    assertEquals(root.resolve("a.txt").toRealPath(), paths.locate("link-in.txt"));
  }

  @Test
  void servesIndexHtmlForDirectoriesAndNothingElse() throws Exception {
    assertEquals(root.resolve("docs/index.html").toRealPath(), paths.locate("docs"));
    assertStatus(404, "empty");
  }

  @Test
  void withoutAnIndexADirectoryIs404() {
    SafePath noIndex = new SafePath(root.toString(), null);
    assertEquals(
        404, assertThrows(HttpStatusException.class, () -> noIndex.locate("docs")).status());
  }

  @Test
  void rootItselfHasNoIndexSoIs404() {
    assertStatus(404, "");
  }

  @Test
  void refusesSymlinksOutOfTheRoot() {
    assertStatus(403, "link-out.txt");
    assertStatus(403, "dir-out/secret.txt");
  }

  @Test
  void missingAndDanglingAre404() {
    assertStatus(404, "missing.txt");
    assertStatus(404, "dangling");
    assertStatus(404, "a.txt/below-a-file");
  }

  @Test
  void followsARootThatIsASymlink() throws Exception {
    Path linkedRoot = Files.createSymbolicLink(tmp.resolve("current"), root);
    SafePath linked = new SafePath(linkedRoot.toString(), "index.html");
    assertEquals(root.resolve("a.txt").toRealPath(), linked.locate("a.txt"));
  }

  @Test
  void fifoIs404NotABlockedPoolThread() throws Exception {
    Path fifo = root.resolve("pipe");
    Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
    assumeTrue(mkfifo.waitFor() == 0, "mkfifo unavailable");
    assertStatus(404, "pipe");
  }

  private void assertStatus(int status, String relative) {
    HttpStatusException e = assertThrows(HttpStatusException.class, () -> paths.locate(relative));
    assertEquals(status, e.status(), relative + ": " + e.getMessage());
  }
}
