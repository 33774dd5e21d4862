package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.IntOrString;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DisruptionBudgetRendererTest {
  /** spec.podDisruptionBudget -> the PDB's minAvailable / maxUnavailable ("-" = absent). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
      ''                                        | -   | 1
      'podDisruptionBudget: {}'                 | -   | 1
      'podDisruptionBudget: {minAvailable: 2}'  | 2   | -
      'podDisruptionBudget: {minAvailable: 50%}' | 50% | -
      'podDisruptionBudget: {maxUnavailable: 3}' | -   | 3
      """)
  void budgetFollowsTheSpec(String spec, String minAvailable, String maxUnavailable) {
    var pdb = DisruptionBudgetRenderer.render(Fixtures.proxy("web", "shop", spec)).getSpec();
    assertEquals(minAvailable, text(pdb.getMinAvailable()));
    assertEquals(maxUnavailable, text(pdb.getMaxUnavailable()));
    assertEquals("web", pdb.getSelector().getMatchLabels().get("app.kubernetes.io/instance"));
  }

  private static String text(IntOrString value) {
    return value == null
        ? "-"
        : value.getIntVal() != null ? value.getIntVal().toString() : value.getStrVal();
  }
}
