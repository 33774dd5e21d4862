package dev.tpp.operator.status;

import io.javaoperatorsdk.operator.AggregatedOperatorException;
import java.util.stream.Collectors;

/**
 * Says in one line why a reconciliation threw, for Ready's message: each failed dependent by name
 * (JOSDK aggregates them, with whole stack traces in the message), each exception by its type and
 * first message line, and its innermost cause when that is another one. Pure.
 */
public final class ReconcileError {
  private ReconcileError() {}

  public static String describe(Exception thrown) {
    Throwable e = unwrapped(thrown);
    if (e instanceof AggregatedOperatorException a && !a.getAggregatedExceptions().isEmpty()) {
      return a.getAggregatedExceptions().entrySet().stream()
          .map(x -> "dependent " + x.getKey() + ": " + cause(unwrapped(x.getValue())))
          .collect(Collectors.joining("; ", "reconciliation failed: ", ""));
    }
    return "reconciliation failed: " + cause(e);
  }

  /**
   * Past wrappers that add nothing ({@code new X(cause)}: JOSDK wraps what reconcile throws that
   * way).
   */
  private static Throwable unwrapped(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null
        && t.getCause() != t
        && t.getCause().toString().equals(t.getMessage())) {
      t = t.getCause();
    }
    return t;
  }

  private static String cause(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? line(e) : line(e) + " (" + line(root) + ")";
  }

  private static String line(Throwable e) {
    String message =
        e.getMessage() == null ? "" : e.getMessage().strip().lines().findFirst().orElse("");
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
