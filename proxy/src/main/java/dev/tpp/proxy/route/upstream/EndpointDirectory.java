package dev.tpp.proxy.route.upstream;

import dev.tpp.config.EndpointsFile;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The endpoint sets that come from outside the config ({@code endpoints.yaml}, written by the
 * operator from EndpointSlices), for every {@link Upstream} of every config generation: an upstream
 * subscribes when it is built and gets the current file at once, then every new one. One per proxy
 * process. {@link #publish} runs on the endpoints watcher thread, {@code subscribe} on the thread
 * that builds a generation; it blocks while names in the file resolve, so never call it on an event
 * loop.
 */
public final class EndpointDirectory {
  private final Set<Upstream> upstreams = ConcurrentHashMap.newKeySet();
  private volatile @Nullable EndpointsFile current;

  /**
   * {@code file} (null: none) is now the source of the sets it names; every live upstream applies
   * it.
   */
  public void publish(EndpointsFile file) {
    current = file;
    for (Upstream u : upstreams) {
      u.overrideFrom(file);
    }
  }

  void subscribe(Upstream upstream) {
    upstreams.add(upstream);
    upstream.overrideFrom(current);
  }

  void unsubscribe(Upstream upstream) {
    upstreams.remove(upstream);
  }
}
