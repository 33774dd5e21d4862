package dev.tpp.crds;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The {@code ThreadPoolProxy} custom resource ({@code tpp.dev/v1alpha1}): one fleet of proxies
 * sharing one {@code proxy.yaml}. The CRD in {@code crds/threadpoolproxies.tpp.dev-v1.yml} is
 * generated from this class at build time.
 */
@Group(ThreadPoolProxy.GROUP)
@Version(ThreadPoolProxy.VERSION)
@Kind("ThreadPoolProxy")
@Plural("threadpoolproxies")
@ShortNames("tpp")
@Categories("networking")
// kubectl shows the columns in this order (CrdPostProcessor undoes the generator's sorting);
// priority 1: -o wide only.
@AdditionalPrinterColumn(
    name = "Ready",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Replicas",
    type = AdditionalPrinterColumn.Type.INTEGER,
    jsonPath = ".status.replicas")
@AdditionalPrinterColumn(
    name = "Block p99",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.blockP99")
@AdditionalPrinterColumn(
    name = "Pool wait p99",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.poolWaitP99",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Config hash",
    type = AdditionalPrinterColumn.Type.STRING,
    jsonPath = ".status.configHash",
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    type = AdditionalPrinterColumn.Type.DATE,
    jsonPath = ".metadata.creationTimestamp")
public class ThreadPoolProxy extends CustomResource<ThreadPoolProxySpec, ThreadPoolProxyStatus>
    implements Namespaced {
  public static final String GROUP = "tpp.dev";
  public static final String VERSION = "v1alpha1";
}
