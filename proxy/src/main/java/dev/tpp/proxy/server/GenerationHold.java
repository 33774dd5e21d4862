package dev.tpp.proxy.server;

import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * The reference one connection's exchange in progress holds on the {@link Generation} it started
 * on, from its head to its end, counted on the connection's loop ({@link LoopReferences}). Holds
 * nothing between exchanges, so an idle keepalive connection keeps no replaced config (its routes,
 * its WAF engine) reachable. One per dispatcher; loop-confined.
 */
final class GenerationHold {
  private final ServerState server;
  private final EventExecutor loop;
  private @Nullable Generation held;
  private LoopReferences.@Nullable Count count;

  GenerationHold(ServerState server, EventExecutor loop) {
    this.server = server;
    this.loop = loop;
  }

  /** Takes a reference on the generation in force for the exchange that starts now. */
  Generation acquire() {
    while (true) {
      Generation gen = server.generation();
      LoopReferences.Count taken = gen.tryAcquire(loop);
      if (taken != null) {
        held = gen;
        count = taken;
        return gen;
      }
      // Retired on this loop between the read and the acquire: the next read sees its successor.
    }
  }

  /** The generation the exchange in progress holds, or null between exchanges. */
  @Nullable Generation held() {
    return held;
  }

  /**
   * The exchange ended: drops its reference (after its end hooks, which may still submit cleanup to
   * the generation's pools). Does nothing when none is held.
   */
  void release() {
    LoopReferences.Count taken = count;
    if (taken != null) {
      held = null;
      count = null;
      taken.release();
    }
  }
}
