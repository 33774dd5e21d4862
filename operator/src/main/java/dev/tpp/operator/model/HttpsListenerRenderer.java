package dev.tpp.operator.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tpp.crds.ThreadPoolProxySpec;
import dev.tpp.crds.TlsSpec;

/**
 * What {@code spec.tls} adds to proxy.yaml: listener {@value #NAME} on port {@value #PORT} with one
 * certificate per Secret (the files of its mount, {@code serverNames} = its hosts; the first is the
 * default), and pool {@value #POOL} when {@code spec.pools} declares none. The Secrets' contents
 * never enter the file, so a renewal leaves the config hash alone: the proxy watches the mounted
 * files. Pure.
 */
public final class HttpsListenerRenderer {
  public static final String NAME = "https";
  public static final int PORT = 8443;
  public static final String POOL = "tls";

  /**
   * The pool added when none is declared: two signing threads per pod, a deep queue, reject past
   * it.
   */
  static final int POOL_THREADS = 2;

  static final int POOL_MAX_QUEUE = 1024;
  private static final String ANY_ADDRESS = "0.0.0.0";

  private HttpsListenerRenderer() {}

  /** True when {@code spec} asks for TLS. */
  public static boolean enabled(ThreadPoolProxySpec spec) {
    return spec.tls != null && !spec.tls.isEmpty();
  }

  /**
   * Replaces {@code tls} in {@code root} (the spec as a tree) with the listener and, if missing,
   * the pool.
   */
  static void render(ThreadPoolProxySpec spec, ObjectNode root) {
    root.remove("tls");
    if (!enabled(spec)) {
      return;
    }
    ObjectNode listener = root.putArray("listeners").addObject();
    listener.put("name", NAME);
    listener.put(
        "address",
        spec.listen != null && spec.listen.address != null ? spec.listen.address : ANY_ADDRESS);
    listener.put("port", PORT);
    ArrayNode certificates = listener.putObject("tls").putArray("certificates");
    for (TlsSpec tls : spec.tls) {
      ObjectNode certificate = certificates.addObject();
      certificate.put("certFile", Names.tlsDir(tls.secretName) + "/tls.crt");
      certificate.put("keyFile", Names.tlsDir(tls.secretName) + "/tls.key");
      if (tls.hosts != null && !tls.hosts.isEmpty()) {
        tls.hosts.forEach(certificate.putArray("serverNames")::add);
      }
    }
    boolean declared = spec.pools != null && spec.pools.stream().anyMatch(p -> POOL.equals(p.name));
    if (!declared) {
      ObjectNode pool =
          (root.get("pools") instanceof ArrayNode pools ? pools : root.putArray("pools"))
              .addObject();
      pool.put("name", POOL);
      pool.put("threads", POOL_THREADS);
      pool.put("maxQueue", POOL_MAX_QUEUE);
      pool.put("overflow", "reject");
    }
  }
}
