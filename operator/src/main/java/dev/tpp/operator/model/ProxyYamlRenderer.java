package dev.tpp.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders a spec into the {@code proxy.yaml} the pods load. The spec uses proxy.yaml's own field
 * names, so this is the spec minus the Kubernetes-only fields, with {@code upstreams[].service}
 * resolved to its cluster DNS name and {@code waf.ruleConfigMaps} turned into rule-file globs under
 * their mount points and {@code tls} into the https listener ({@link HttpsListenerRenderer}). Pure
 * and deterministic: the same spec always gives the same bytes, so an unchanged spec never rewrites
 * the ConfigMap.
 */
public final class ProxyYamlRenderer {
  private static final List<String> KUBERNETES_ONLY =
      List.of(
          "replicas", "image", "resources", "autoscaling", "pod", "service", "podDisruptionBudget");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE));

  private ProxyYamlRenderer() {}

  /** The proxy.yaml text for {@code tpp}. */
  public static String render(ThreadPoolProxy tpp) {
    ThreadPoolProxySpec spec = tpp.getSpec() == null ? new ThreadPoolProxySpec() : tpp.getSpec();
    ObjectNode root = JSON.valueToTree(spec);
    root.remove(KUBERNETES_ONLY);
    resolveServices(root, tpp.getMetadata().getNamespace());
    mountRuleConfigMaps(spec, root);
    HttpsListenerRenderer.render(spec, root);
    try {
      return "# rendered by tpp-operator from ThreadPoolProxy "
          + tpp.getMetadata().getNamespace()
          + "/"
          + tpp.getMetadata().getName()
          + "; edit the resource, not this file\n"
          + YAML.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void resolveServices(ObjectNode root, String namespace) {
    if (!root.has("upstreams")) {
      return;
    }
    for (var upstream : root.get("upstreams")) {
      var service = ((ObjectNode) upstream).remove("service");
      if (service != null) {
        ArrayNode endpoints = ((ObjectNode) upstream).putArray("endpoints");
        endpoints.add(
            service.get("name").asText()
                + "."
                + namespace
                + ".svc.cluster.local:"
                + service.get("port").asInt());
      }
    }
  }

  private static void mountRuleConfigMaps(ThreadPoolProxySpec spec, ObjectNode root) {
    if (!(root.get("waf") instanceof ObjectNode waf) || !waf.has("ruleConfigMaps")) {
      return;
    }
    waf.remove("ruleConfigMaps");
    ArrayNode files = waf.putArray("ruleFiles");
    ruleFiles(spec).forEach(files::add);
  }

  /**
   * {@code waf.ruleFiles} as the pods see it: the spec's files, then one glob per rule ConfigMap's
   * mount.
   */
  public static List<String> ruleFiles(ThreadPoolProxySpec spec) {
    List<String> files = new ArrayList<>();
    if (spec.waf != null && spec.waf.ruleFiles != null) {
      files.addAll(spec.waf.ruleFiles);
    }
    if (spec.waf != null && spec.waf.ruleConfigMaps != null) {
      spec.waf.ruleConfigMaps.forEach(name -> files.add(Names.ruleDir(name) + "/*.conf"));
    }
    return files;
  }
}
