package dev.tpp.proxy.statics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Maps a request path to a regular file under a root, never outside it. Shared by the files and
 * thumbnail routes.
 *
 * <p>Two halves on two threads: {@link #relative} is string work only (strict percent-decoding,
 * segment checks) and runs on the event loop; {@link #locate} touches the filesystem (realpath,
 * stat) and runs only in a pool task. Immutable, so one instance serves every loop and pool thread.
 */
public final class SafePath {
  private final Path root;
  private final @Nullable String directoryIndex;

  /**
   * {@code root}: the absolute directory served (it may itself be a symlink); {@code
   * directoryIndex}: the file that stands for a directory ({@code index.html}), or null when a
   * directory is simply not found.
   */
  public SafePath(String root, @Nullable String directoryIndex) {
    this.root = Path.of(root);
    this.directoryIndex = directoryIndex;
  }

  /**
   * The raw (percent-encoded) request path minus the route {@code prefix}, decoded to clean
   * segments joined by '/' ("" for the root). Bad encoding or invalid UTF-8 is 400; NUL, '..' (in
   * any encoding), or a separator smuggled inside a segment as %2F or '\' is 403; a path outside
   * the prefix is 404. Empty and '.' segments are dropped.
   */
  public static String relative(String rawPath, String prefix) throws HttpStatusException {
    if (!rawPath.startsWith(prefix)) {
      throw new HttpStatusException(404, "not under " + prefix);
    }
    String rest = rawPath.substring(prefix.length());
    if (!prefix.endsWith("/") && !rest.isEmpty() && rest.charAt(0) != '/') {
      throw new HttpStatusException(
          404, "not under " + prefix); // "/static" must not serve "/staticfoo"
    }
    StringBuilder clean = new StringBuilder(rest.length());
    for (String raw : rest.split("/", -1)) {
      String segment = decode(raw);
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")
          || segment.indexOf('\0') >= 0
          || segment.indexOf('/') >= 0
          || segment.indexOf('\\') >= 0) {
        throw new HttpStatusException(403, "path not allowed");
      }
      clean.append(clean.length() == 0 ? "" : "/").append(segment);
    }
    return clean.toString();
  }

  /**
   * Strict percent-decoding of one segment: only visible ASCII may stand raw, every '%' takes two
   * hex digits, and the decoded bytes must be valid UTF-8.
   */
  static String decode(String raw) throws HttpStatusException {
    ByteBuffer bytes = ByteBuffer.allocate(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new HttpStatusException(400, "bad character in path");
      }
      if (c != '%') {
        bytes.put((byte) c);
        continue;
      }
      int hi = i + 2 < raw.length() ? hex(raw.charAt(i + 1)) : -1;
      int lo = hi >= 0 ? hex(raw.charAt(i + 2)) : -1;
      if (lo < 0) {
        throw new HttpStatusException(400, "bad percent-encoding");
      }
      bytes.put((byte) (hi << 4 | lo));
      i += 2;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes.flip())
          .toString();
    } catch (CharacterCodingException e) {
      throw new HttpStatusException(400, "path is not UTF-8");
    }
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    char lower = (char) (c | 0x20);
    return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1; // ASCII only: no fullwidth digits
  }

  /**
   * Pool only (filesystem calls). The real path of the regular file {@code relative} names,
   * symlinks resolved; a directory means its index file, when there is one. 403 when the real path
   * leaves the real root; 404 when missing or not a regular file.
   */
  public Path locate(String relative) throws IOException, HttpStatusException {
    Path realRoot =
        root.toRealPath(); // per request: a root swapped by a deploy symlink is followed at once
    Path real = underRoot(realRoot, relative.isEmpty() ? realRoot : realRoot.resolve(relative));
    if (directoryIndex != null && Files.isDirectory(real)) {
      real = underRoot(realRoot, real.resolve(directoryIndex));
    }
    if (!Files.isRegularFile(real)) {
      throw new HttpStatusException(
          404, "not a file"); // also keeps FIFOs and devices from blocking a pool thread
    }
    return real;
  }

  private static Path underRoot(Path realRoot, Path candidate)
      throws IOException, HttpStatusException {
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (NoSuchFileException e) {
      throw new HttpStatusException(404, "not found");
    } catch (FileSystemException e) {
      if (e instanceof AccessDeniedException) {
        throw e; // 403
      }
      throw new HttpStatusException(404, "not found"); // ENOTDIR (a/file/x), ELOOP, ENAMETOOLONG
    }
    if (!real.startsWith(realRoot)) {
      throw new HttpStatusException(403, "path not allowed");
    }
    return real;
  }
}
