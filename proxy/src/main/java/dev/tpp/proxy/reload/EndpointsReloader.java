package dev.tpp.proxy.reload;

import dev.tpp.config.ConfigException;
import dev.tpp.config.EndpointsFile;
import dev.tpp.proxy.route.upstream.EndpointDirectory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code endpoints.yaml} (beside {@code proxy.yaml}) when its bytes change and hands it to
 * the {@link EndpointDirectory}: endpoint sets change without a config reload and without touching
 * the config hash. A malformed file is logged once ({@code event=endpoints_file_invalid}, every
 * error with its field) and the last good sets stay; a file that disappears after being read also
 * leaves them in place (a ConfigMap swap in progress, or an operator that stopped writing: the last
 * known endpoints beat none). Runs on the endpoints watcher thread, one call at a time.
 */
public final class EndpointsReloader implements FileChangeHandler {
  private static final Logger log = LoggerFactory.getLogger("tpp.reload");
  private final Path file;
  private final EndpointDirectory directory;
  private byte @Nullable [] lastSeen;

  public EndpointsReloader(Path file, EndpointDirectory directory) {
    this.file = file;
    this.directory = directory;
  }

  @Override
  public synchronized boolean reloadIfChanged(String trigger) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      log.debug("event=endpoints_file_unreadable file={} error=\"{}\"", file, e.toString());
      return false;
    }
    if (Arrays.equals(bytes, lastSeen)) {
      return false;
    }
    lastSeen = bytes;
    try {
      EndpointsFile parsed = EndpointsFile.parse(new String(bytes, StandardCharsets.UTF_8));
      directory.publish(parsed);
      log.info(
          "event=endpoints_file_loaded trigger={} file={} upstreams={}",
          trigger,
          file,
          parsed.upstreams().size());
      return true;
    } catch (ConfigException e) {
      log.warn(
          "event=endpoints_file_invalid file={} error=\"{}\" kept=\"last good endpoints\"",
          file,
          e.getMessage().replace('"', '\''));
      return false;
    }
  }
}
