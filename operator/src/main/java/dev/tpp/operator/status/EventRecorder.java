package dev.tpp.operator.status;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts core/v1 Events about a ThreadPoolProxy (scale decisions, invalid config). Best effort:
 * never throws.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void normal(ThreadPoolProxy tpp, String reason, String message) {
    post(tpp, "Normal", reason, message);
  }

  public void warning(ThreadPoolProxy tpp, String reason, String message) {
    post(tpp, "Warning", reason, message);
  }

  private void post(ThreadPoolProxy tpp, String type, String reason, String message) {
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    var event =
        new EventBuilder()
            .withNewMetadata()
            .withGenerateName(tpp.getMetadata().getName() + ".")
            .withNamespace(tpp.getMetadata().getNamespace())
            .endMetadata()
            .withInvolvedObject(
                new ObjectReferenceBuilder()
                    .withApiVersion(tpp.getApiVersion())
                    .withKind(tpp.getKind())
                    .withName(tpp.getMetadata().getName())
                    .withNamespace(tpp.getMetadata().getNamespace())
                    .withUid(tpp.getMetadata().getUid())
                    .build())
            .withType(type)
            .withReason(reason)
            .withMessage(message.length() > 1024 ? message.substring(0, 1024) : message)
            .withFirstTimestamp(now)
            .withLastTimestamp(now)
            .withCount(1)
            .withNewSource("tpp-operator", null)
            .build();
    try {
      client.v1().events().inNamespace(tpp.getMetadata().getNamespace()).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not post event {} for {}: {}",
          reason,
          tpp.getMetadata().getName(),
          e.getMessage());
    }
  }
}
