package dev.tpp.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.OperatorException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReconcileErrorTest {
  @Test
  void namesEachFailedDependentWithoutStackTraces() {
    Map<String, Exception> causes = new LinkedHashMap<>();
    causes.put(
        "endpoints",
        new IllegalStateException(
            "Operation: [get] for kind: [Service] failed.\n\tat x.y(Z.java)",
            new IOException("connection refused")));
    causes.put("deployment", new IllegalArgumentException("forbidden"));
    assertEquals(
        "reconciliation failed: dependent endpoints: IllegalStateException: Operation: [get] for kind:"
            + " [Service] failed. (IOException: connection refused); dependent deployment: IllegalArgumentException:"
            + " forbidden",
        ReconcileError.describe(
            new AggregatedOperatorException("Exception(s) during workflow execution.", causes)));
  }

  @Test
  void aPlainExceptionByTypeAndFirstLine() {
    assertEquals(
        "reconciliation failed: IllegalStateException: rule compiler crashed",
        ReconcileError.describe(new IllegalStateException("rule compiler crashed\nmore")));
    assertEquals(
        "reconciliation failed: NullPointerException",
        ReconcileError.describe(new NullPointerException()));
  }

  @Test
  void skipsWrappersThatAddNothing() {
    assertEquals(
        "reconciliation failed: IllegalStateException: rule compiler crashed",
        ReconcileError.describe(
            new OperatorException(new IllegalStateException("rule compiler crashed"))));
  }
}
