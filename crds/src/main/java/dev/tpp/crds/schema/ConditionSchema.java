package dev.tpp.crds.schema;

import com.fasterxml.jackson.databind.node.TextNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsOrArrayBuilder;
import java.util.List;

/**
 * The OpenAPI schema of a list of metav1.Condition, as controller-gen writes it for Kubernetes' own
 * types (required fields, the status enum, the bounds and patterns of k8s.io/apimachinery's
 * validation); the list is keyed on {@code type} by {@link CrdPostProcessor}. Pure.
 */
final class ConditionSchema {
  static final String TYPE_PATTERN =
      "^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?"
          + "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";
  static final String REASON_PATTERN = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

  private ConditionSchema() {}

  static JSONSchemaProps of(String description) {
    JSONSchemaProps condition =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withDescription("One aspect of the resource's state (metav1.Condition).")
            .withRequired("lastTransitionTime", "message", "reason", "status", "type")
            .addToProperties(
                "type",
                string("Type of condition in CamelCase: Ready, ConfigValid or Scaling.")
                    .withMaxLength(316L)
                    .withPattern(TYPE_PATTERN)
                    .build())
            .addToProperties(
                "status",
                string("True, False or Unknown.")
                    .withEnum(
                        List.of(
                            new TextNode("True"), new TextNode("False"), new TextNode("Unknown")))
                    .build())
            .addToProperties(
                "observedGeneration",
                new JSONSchemaPropsBuilder()
                    .withType("integer")
                    .withFormat("int64")
                    .withMinimum(0.0)
                    .withDescription("The metadata.generation the condition was set for.")
                    .build())
            .addToProperties(
                "lastTransitionTime",
                string("When the status last changed.").withFormat("date-time").build())
            .addToProperties(
                "reason",
                string("Why the condition is in its status, in CamelCase (e.g. PodsNotReady).")
                    .withMinLength(1L)
                    .withMaxLength(1024L)
                    .withPattern(REASON_PATTERN)
                    .build())
            .addToProperties(
                "message", string("Human-readable details.").withMaxLength(32768L).build())
            .build();
    return new JSONSchemaPropsBuilder()
        .withType("array")
        .withDescription(description)
        .withItems(new JSONSchemaPropsOrArrayBuilder().withSchema(condition).build())
        .build();
  }

  private static JSONSchemaPropsBuilder string(String description) {
    return new JSONSchemaPropsBuilder().withType("string").withDescription(description);
  }
}
