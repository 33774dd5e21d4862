import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.crds.ThreadPoolProxySpec;
import dev.tpp.crds.ThreadPoolProxyStatus;
import dev.tpp.operator.OperatorMetrics;
import dev.tpp.operator.ThreadPoolProxyReconciler;
import dev.tpp.operator.autoscale.ScaleDecider;
import dev.tpp.operator.status.StatusMetrics;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.processing.Controller;
import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction;
import io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * Prints the Prometheus text the operator's metrics registry produces for one successful and one failed
 * reconciliation, built exactly as operator/Main does (OperatorMetrics: JOSDK MicrometerMetrics without
 * per-resource tags, on the operator's PrometheusMeterRegistry), plus the reconciler's status gauges (StatusMetrics) for one resource, so helm/test.sh
 * can check the operator metric names of the dashboards (Operator; Fleet's replicas panel) against the real ones
 * without a Kubernetes API server. Run: java -cp operator/target/tpp-operator.jar helm/test/JosdkMetricNames.java
 *
 * <p>controllerRegistered(Controller) registers the per-controller gauges; a real Controller needs an API server, so
 * it gets one allocated without its constructor whose configuration answers only getName and getResourceClass.
 */
public class JosdkMetricNames {
  public static void main(String[] args) throws Exception {
    PrometheusMeterRegistry registry = OperatorMetrics.registry();
    Metrics metrics = OperatorMetrics.josdk(registry);
    String controller = ThreadPoolProxyReconciler.class.getAnnotation(ControllerConfiguration.class).name();
    metrics.controllerRegistered(controller(controller));
    ThreadPoolProxy tpp = new ThreadPoolProxy();
    tpp.setMetadata(new ObjectMetaBuilder().withName("web").withNamespace("shop").build());
    ResourceID id = ResourceID.fromResource(tpp);
    Map<String, Object> meta = Map.of(
        Constants.CONTROLLER_NAME, controller,
        Constants.RESOURCE_GVK_KEY, GroupVersionKind.gvkFor(ThreadPoolProxy.class));
    RetryInfo retry = new RetryInfo() {
      public int getAttemptCount() { return 1; }
      public boolean isLastAttempt() { return false; }
    };
    metrics.receivedEvent(new ResourceEvent(ResourceAction.ADDED, id, tpp), meta);
    metrics.reconcileCustomResource(tpp, retry, meta);
    metrics.reconciliationExecutionStarted(tpp, meta);
    metrics.timeControllerExecution(execution(controller, id, meta, false));
    metrics.reconciliationExecutionFinished(tpp, meta);
    metrics.finishedReconciliation(tpp, meta);
    metrics.reconcileCustomResource(tpp, retry, meta);
    try {
      metrics.timeControllerExecution(execution(controller, id, meta, true));
    } catch (RuntimeException expected) {
      metrics.failedReconciliation(tpp, expected, meta);
    }
    // The status gauges, as the reconciler records them after StatusBuilder wrote the status.
    tpp.setSpec(new ThreadPoolProxySpec());
    tpp.getSpec().replicas = 3;
    ThreadPoolProxyStatus status = new ThreadPoolProxyStatus();
    status.desiredReplicas = 3;
    status.readyReplicas = 2;
    status.blockP99 = ScaleDecider.format(0.012345);
    status.podsOnConfigHash = "2/2";
    tpp.setStatus(status);
    new StatusMetrics(registry).record(tpp);
    System.out.print(registry.scrape());
  }

  @SuppressWarnings("unchecked")
  private static Controller<ThreadPoolProxy> controller(String name) throws Exception {
    Field theUnsafe = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
    theUnsafe.setAccessible(true);
    Object unsafe = theUnsafe.get(null);
    var controller = (Controller<ThreadPoolProxy>)
        unsafe.getClass().getMethod("allocateInstance", Class.class).invoke(unsafe, Controller.class);
    Object config = Proxy.newProxyInstance(
        JosdkMetricNames.class.getClassLoader(),
        new Class<?>[] {io.javaoperatorsdk.operator.api.config.ControllerConfiguration.class},
        (proxy, method, a) -> switch (method.getName()) {
          case "getName" -> name;
          case "getResourceClass" -> ThreadPoolProxy.class;
          default -> throw new UnsupportedOperationException(method.getName());
        });
    Field field = Controller.class.getDeclaredField("configuration");
    field.setAccessible(true);
    field.set(controller, config);
    return controller;
  }

  private static Metrics.ControllerExecution<String> execution(
      String controller, ResourceID id, Map<String, Object> meta, boolean fail) {
    return new Metrics.ControllerExecution<>() {
      public String name() { return "reconcile"; }
      public String controllerName() { return controller; }
      public String successTypeName(String result) { return "status"; }
      public ResourceID resourceID() { return id; }
      public Map<String, Object> metadata() { return meta; }
      public String execute() {
        if (fail) {
          throw new IllegalStateException("boom");
        }
        return "ok";
      }
    };
  }
}
