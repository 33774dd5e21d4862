package dev.tpp.proxy.pool;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import dev.tpp.config.PoolConfig.Priority;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the calling thread in the scheduling class of a pool's {@link Priority}: {@code low} is
 * Linux {@code SCHED_IDLE}, set with {@code sched_setscheduler} on the thread's own TID (from
 * {@code gettid}) through JNA. A runnable event loop then always preempts the pool thread at once,
 * and the pool thread gets the CPU the loops leave. Lowering one's own policy needs no capability,
 * so it works as non-root with every capability dropped (the reverse, back to {@code SCHED_OTHER},
 * would not: a pool whose priority changes gets new threads instead).
 *
 * <p>Called by each pool thread once, before its first task, and by each TLS handshake loop ({@code
 * tpp-handshake-N}, which runs at its key pool's priority) before its first event. Where the
 * platform lacks it (not Linux, an unknown CPU architecture, JNA unable to load), pool threads stay
 * normal and one {@code event=pool_priority_unsupported} line is logged at start.
 */
public final class ThreadPriority {
  private static final Logger log = LoggerFactory.getLogger("tpp.pool");
  static final int SCHED_OTHER = 0;
  static final int SCHED_IDLE = 5;
  private static final Binding NATIVE = Binding.load();

  private ThreadPriority() {}

  /**
   * True when {@code low} can take effect here; logs once why not. Called by the thread that starts
   * pools.
   */
  static boolean lowSupported() {
    return NATIVE.unsupported() == null;
  }

  /**
   * Applies {@code priority} to the calling thread; {@code normal} (or null) leaves it as the JVM
   * made it.
   */
  public static void applyToCurrentThread(String pool, @Nullable Priority priority) {
    if (priority != Priority.LOW || NATIVE.unsupported() != null) {
      return;
    }
    int tid = NATIVE.gettid();
    if (NATIVE.loaded().sched_setscheduler(tid, SCHED_IDLE, new int[] {0}) != 0) {
      log.warn(
          "event=pool_priority_failed pool={} tid={} errno={}", pool, tid, Native.getLastError());
    }
  }

  /** The calling thread's kernel TID (as in {@code /proc/self/task}), or -1 where unsupported. */
  static int currentTid() {
    return NATIVE.unsupported() == null ? NATIVE.gettid() : -1;
  }

  /** The C library calls used, mapped by JNA. */
  interface LibC extends Library {
    long syscall(long number, Object... args);

    int sched_setscheduler(int pid, int policy, int[] param);
  }

  /**
   * JNA's handle on libc and the gettid syscall number of this architecture, or why there is none.
   */
  private record Binding(@Nullable LibC libc, long gettidNumber, @Nullable String unsupported) {
    static Binding load() {
      String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
      long number =
          arch.equals("amd64") || arch.equals("x86_64") ? 186 : arch.equals("aarch64") ? 178 : -1;
      String reason = null;
      LibC libc = null;
      if (!Platform.isLinux() || number < 0) {
        reason =
            "platform "
                + System.getProperty("os.name")
                + "/"
                + arch
                + " has no SCHED_IDLE via gettid here";
      } else {
        try {
          libc = Native.load("c", LibC.class);
        } catch (LinkageError e) {
          reason = "JNA cannot load libc: " + e.getMessage();
        }
      }
      if (reason != null) {
        log.info(
            "event=pool_priority_unsupported reason=\"{}\" effect=\"priority: low runs as normal\"",
            reason);
      }
      return new Binding(libc, number, reason);
    }

    int gettid() {
      return (int) loaded().syscall(gettidNumber);
    }

    /** Callers first check that {@code unsupported} is null, which means libc loaded. */
    LibC loaded() {
      return Objects.requireNonNull(libc, "libc: checked via unsupported()");
    }
  }
}
