package dev.tpp.proxy.route.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tpp.proxy.statics.HttpStatusException;
import dev.tpp.proxy.statics.LastModified;
import dev.tpp.proxy.statics.SafePath;
import dev.tpp.proxy.statics.StaticRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pool half of the files route, called directly: what it decides and which replies carry an
 * open file.
 */
class FileLookupTest {
  static final long MODIFIED = 1_700_000_000_000L;
  static final String DATE = LastModified.format(MODIFIED);

  @TempDir Path root;
  SafePath paths;
  FileReply reply;

  @BeforeEach
  void file() throws Exception {
    Path file = Files.writeString(root.resolve("hello.txt"), "hello, world");
    Files.setLastModifiedTime(file, FileTime.fromMillis(MODIFIED));
    paths = new SafePath(root.toString(), "index.html");
  }

  @AfterEach
  void close() {
    if (reply != null) {
      reply.closeFile();
    }
  }

  private FileReply lookup(String path, boolean head, String ims, String range, String ifRange)
      throws Exception {
    reply = new FileLookup(paths, new StaticRequest(path, head, ims, range, ifRange)).call();
    return reply;
  }

  @Test
  void getOpensTheWholeFile() throws Exception {
    lookup("hello.txt", false, null, null, null);
    assertEquals(200, reply.status());
    assertEquals("text/plain; charset=utf-8", reply.contentType());
    assertEquals(12, reply.bodyLength());
    assertEquals(MODIFIED, reply.lastModified());
    ByteBuffer bytes = ByteBuffer.allocate(12);
    reply.file().read(bytes, 0);
    assertEquals("hello, world", new String(bytes.array(), StandardCharsets.UTF_8));
  }

  @Test
  void headAndNotModifiedOpenNothing() throws Exception {
    assertNull(lookup("hello.txt", true, null, "bytes=0-1", null).file());
    assertEquals(200, reply.status()); // Range is for GET only
    assertEquals(12, reply.bodyLength());
    assertNull(lookup("hello.txt", false, DATE, null, null).file());
    assertEquals(304, reply.status());
  }

  @Test
  void rangeGives206WithTheSlice() throws Exception {
    lookup("hello.txt", false, null, "bytes=7-", null);
    assertEquals(206, reply.status());
    assertNotNull(reply.file());
    assertEquals(7, reply.bodyStart());
    assertEquals(5, reply.bodyLength());
  }

  @Test
  void unsatisfiableRangeGives416AndNoOpenFile() throws Exception {
    lookup("hello.txt", false, null, "bytes=12-", null);
    assertEquals(416, reply.status());
    assertNull(reply.file());
    assertEquals(12, reply.size());
  }

  @Test
  void staleIfRangeServesTheWholeFile() throws Exception {
    assertEquals(206, lookup("hello.txt", false, null, "bytes=0-1", DATE).status());
    reply.closeFile();
    assertEquals(
        200,
        lookup("hello.txt", false, null, "bytes=0-1", "Tue, 15 Nov 1994 08:12:31 GMT").status());
  }

  @Test
  void missingFileFailsWith404AndOpensNothing() {
    HttpStatusException e =
        assertThrows(HttpStatusException.class, () -> lookup("nope.txt", false, null, null, null));
    assertEquals(404, e.status());
  }

  @Test
  void closeFileIsIdempotent() throws Exception {
    lookup("hello.txt", false, null, null, null);
    reply.closeFile();
    reply.closeFile();
    assertFalse(reply.file().isOpen());
  }
}
