package dev.tpp.proxy.route.files;

import dev.tpp.proxy.statics.HttpStatusException;
import dev.tpp.proxy.statics.LastModified;
import dev.tpp.proxy.statics.SafePath;
import dev.tpp.proxy.statics.StaticRequest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.Callable;

/**
 * The pool half of a files request: realpath and root check ({@link SafePath#locate}), stat, the
 * conditional and range decisions, and — only when a body will be sent — open(). Runs on a {@code
 * tpp-pool-NAME-N} thread with an immutable {@link StaticRequest}; returns a {@link FileReply}
 * whose open channel then belongs to the event loop.
 */
final class FileLookup implements Callable<FileReply> {
  private final SafePath paths;
  private final StaticRequest request;

  FileLookup(SafePath paths, StaticRequest request) {
    this.paths = paths;
    this.request = request;
  }

  @Override
  public FileReply call() throws IOException, HttpStatusException {
    Path file = paths.locate(request.relative());
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    long modified = attributes.lastModifiedTime().toMillis();
    String type = ContentTypes.of(file.getFileName().toString());
    if (LastModified.notModified(request.ifModifiedSince(), modified)) {
      return new FileReply(304, null, attributes.size(), modified, type, null);
    }
    if (request
        .head()) { // Range is defined for GET only (RFC 9110 14.2): HEAD reports the whole file
      return new FileReply(200, null, attributes.size(), modified, type, null);
    }
    // NOFOLLOW_LINKS: the real path was checked above; a link swapped in since then is refused, not
    // followed
    FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    try {
      long size =
          channel.size(); // the open file's size, so the range matches the bytes that will be sent
      String rangeHeader =
          LastModified.rangeStillValid(request.ifRange(), modified) ? request.range() : null;
      ByteRange range = ByteRange.parse(rangeHeader, size);
      if (range == ByteRange.UNSATISFIABLE) {
        channel.close();
        return new FileReply(416, null, size, modified, type, null);
      }
      return new FileReply(range == null ? 200 : 206, channel, size, modified, type, range);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }
}
