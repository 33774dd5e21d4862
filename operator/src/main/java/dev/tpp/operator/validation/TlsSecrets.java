package dev.tpp.operator.validation;

import dev.tpp.crds.ThreadPoolProxy;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the Secrets named in {@code spec.tls}, so their certificate pairs are checked before a pod
 * mounts them. The contents serve only that check: they never reach the ConfigMap, the pod template
 * or the config hash.
 */
public final class TlsSecrets {
  public static final String CERT_KEY = "tls.crt";
  public static final String KEY_KEY = "tls.key";

  private TlsSecrets() {}

  /**
   * Name to decoded data (PEM text) for each spec.tls Secret; a missing one maps to null. From the
   * {@link TlsSecretWatch} informer's cache (Secrets of type kubernetes.io/tls), else with one GET
   * (another type, or just deleted). Called on the reconciler's thread.
   */
  public static Map<String, Map<String, String>> read(
      Context<ThreadPoolProxy> context, ThreadPoolProxy tpp) {
    Map<String, Map<String, String>> data = new HashMap<>();
    if (tpp.getSpec() == null || tpp.getSpec().tls == null) {
      return data;
    }
    for (String name : tpp.getSpec().tls.stream().map(t -> t.secretName).toList()) {
      String namespace = tpp.getMetadata().getNamespace();
      Secret secret =
          TlsSecretWatch.cached(context, namespace, name)
              .orElseGet(
                  () -> context.getClient().secrets().inNamespace(namespace).withName(name).get());
      data.put(name, secret == null ? null : decode(secret.getData()));
    }
    return data;
  }

  /** The Secrets' names, for the watch's index. */
  static List<String> names(ThreadPoolProxy tpp) {
    if (tpp.getSpec() == null || tpp.getSpec().tls == null) {
      return List.of();
    }
    return tpp.getSpec().tls.stream().map(t -> t.secretName).toList();
  }

  private static Map<String, String> decode(Map<String, String> base64) {
    Map<String, String> decoded = new HashMap<>();
    if (base64 != null) {
      // PEM is ASCII; ISO-8859-1 keeps any other byte as one char, so a garbled file still reads as
      // garbled
      base64.forEach(
          (k, v) ->
              decoded.put(
                  k, new String(Base64.getDecoder().decode(v), StandardCharsets.ISO_8859_1)));
    }
    return decoded;
  }
}
