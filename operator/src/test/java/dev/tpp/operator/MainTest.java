package dev.tpp.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MainTest {
  @Test
  void watchNamespacesIsACommaListWhereEmptyMeansAll() {
    assertEquals(Set.of(), Main.namespaces(null));
    assertEquals(Set.of(), Main.namespaces(" , "));
    assertEquals(Set.of("a", "b"), Main.namespaces("a, b,,"));
  }

  @Test
  void leaseNamespaceFallsBackToTheClientsThenDefault() {
    assertEquals("ops", Main.leaseNamespace("ops", "x"));
    assertEquals("x", Main.leaseNamespace(" ", "x"));
    assertEquals("default", Main.leaseNamespace(null, null));
  }
}
