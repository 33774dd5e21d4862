package dev.tpp.operator;

import dev.tpp.crds.ThreadPoolProxy;
import dev.tpp.operator.autoscale.ScaleWriter;
import dev.tpp.operator.dependent.ConfigMapDependent;
import dev.tpp.operator.dependent.DeploymentDependent;
import dev.tpp.operator.dependent.DesiredState;
import dev.tpp.operator.dependent.EndpointsConfigMapDependent;
import dev.tpp.operator.dependent.MetricsServiceDependent;
import dev.tpp.operator.dependent.OperatorSettings;
import dev.tpp.operator.dependent.PodDisruptionBudgetDependent;
import dev.tpp.operator.dependent.ScaledObjectDependent;
import dev.tpp.operator.dependent.ServiceDependent;
import dev.tpp.operator.endpoints.EndpointSliceWatch;
import dev.tpp.operator.model.AutoscalePolicy;
import dev.tpp.operator.model.Names;
import dev.tpp.operator.status.EventRecorder;
import dev.tpp.operator.status.FleetObserver;
import dev.tpp.operator.status.FleetScrapes;
import dev.tpp.operator.status.Observation;
import dev.tpp.operator.status.ReconcileError;
import dev.tpp.operator.status.StatusBuilder;
import dev.tpp.operator.status.StatusMetrics;
import dev.tpp.operator.validation.CheckedConfig;
import dev.tpp.operator.validation.InvalidSpecException;
import dev.tpp.operator.validation.RuleConfigMapWatch;
import dev.tpp.operator.validation.RuleConfigMaps;
import dev.tpp.operator.validation.SpecValidator;
import dev.tpp.operator.validation.TlsSecretWatch;
import dev.tpp.operator.validation.TlsSecrets;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a ThreadPoolProxy: check the spec (and its rule ConfigMaps and TLS Secrets) with the
 * proxy's own validator; only when it is valid, run the workflow of owned objects (so an invalid
 * spec leaves the last good ConfigMap and Deployment serving); observe the fleet and autoscale;
 * write the status. Owned objects are garbage-collected through owner references.
 */
@ControllerConfiguration(name = "threadpoolproxy")
@Workflow(
    explicitInvocation = true,
    dependents = {
      @Dependent(name = "config", type = ConfigMapDependent.class),
      @Dependent(name = "deployment", type = DeploymentDependent.class, dependsOn = "config"),
      @Dependent(name = "service", type = ServiceDependent.class),
      @Dependent(name = "metrics-service", type = MetricsServiceDependent.class),
      @Dependent(name = "endpoints", type = EndpointsConfigMapDependent.class),
      @Dependent(
          name = "pdb",
          type = PodDisruptionBudgetDependent.class,
          reconcilePrecondition = PodDisruptionBudgetDependent.MultipleReplicas.class)
    })
public class ThreadPoolProxyReconciler implements Reconciler<ThreadPoolProxy> {
  private static final Logger LOG = LoggerFactory.getLogger(ThreadPoolProxyReconciler.class);

  /**
   * Periodic reconciliation; pods, scrapes, rule ConfigMaps, Secrets and slices reconcile at once
   * by events.
   */
  private static final Duration RESYNC = Duration.ofSeconds(30);

  private final SpecValidator validator;
  private final FleetObserver fleet;
  private final OperatorSettings settings;
  private final StatusMetrics statusMetrics;
  private final ScaledObjectDependent scaledObject = new ScaledObjectDependent();

  /** Status gauges go to a private registry nobody scrapes (tests). */
  public ThreadPoolProxyReconciler(
      SpecValidator validator, FleetObserver fleet, OperatorSettings settings) {
    this(validator, fleet, settings, new StatusMetrics(new SimpleMeterRegistry()));
  }

  public ThreadPoolProxyReconciler(
      SpecValidator validator,
      FleetObserver fleet,
      OperatorSettings settings,
      StatusMetrics statusMetrics) {
    this.validator = validator;
    this.fleet = fleet;
    this.settings = settings;
    this.statusMetrics = statusMetrics;
  }

  @Override
  public List<EventSource<?, ThreadPoolProxy>> prepareEventSources(
      EventSourceContext<ThreadPoolProxy> context) {
    List<EventSource<?, ThreadPoolProxy>> sources =
        new ArrayList<>(
            List.of(
                RuleConfigMapWatch.eventSource(context),
                TlsSecretWatch.eventSource(context),
                EndpointSliceWatch.eventSource(context)));
    sources.addAll(fleet.eventSources(context));
    return sources;
  }

  @Override
  public UpdateControl<ThreadPoolProxy> reconcile(
      ThreadPoolProxy tpp, Context<ThreadPoolProxy> context) {
    var events = new EventRecorder(context.getClient());
    List<String> errors = List.of();
    try {
      CheckedConfig checked =
          validator.check(tpp, RuleConfigMaps.read(context, tpp), TlsSecrets.read(context, tpp));
      new DesiredState(checked, settings).putInto(context);
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
      scaledObject.reconcile(context.getClient(), tpp, settings);
    } catch (InvalidSpecException e) {
      errors = e.errors();
      if (!e.getMessage().equals(invalidMessage(tpp))) {
        events.warning(tpp, "InvalidConfig", e.getMessage());
      }
    }
    String applied =
        context
            .getSecondaryResourcesAsStream(ConfigMap.class)
            .filter(cm -> cm.getMetadata().getName().equals(Names.configMap(tpp)))
            .map(cm -> cm.getMetadata().getAnnotations().get(ConfigMapDependent.HASH_ANNOTATION))
            .findFirst()
            .orElse(null);
    Optional<Deployment> deployment = context.getSecondaryResource(Deployment.class);
    Instant now = Instant.now();
    fleet.retainOnly(
        context
            .getPrimaryCache()
            .list()
            .map(p -> p.getMetadata().getUid())
            .collect(Collectors.toSet()));
    statusMetrics.retainOnly(
        context.getPrimaryCache().list().map(StatusMetrics.Key::of).collect(Collectors.toSet()));
    FleetObserver.Fleet seen =
        fleet.observe(
            tpp,
            List.copyOf(context.getSecondaryResources(Pod.class)),
            FleetScrapes.latest(context, tpp),
            applied,
            now);
    seen.round()
        .ifPresent(round -> ScaleWriter.apply(context.getClient(), tpp, round.decision(), events));
    AutoscalePolicy policy = AutoscalePolicy.of(tpp);
    var observation =
        new Observation(
            errors,
            applied,
            DeploymentDependent.replicas(tpp),
            deployment
                .map(d -> d.getStatus() == null ? null : d.getStatus().getReplicas())
                .orElse(0),
            deployment
                .map(d -> d.getStatus() == null ? null : d.getStatus().getReadyReplicas())
                .orElse(0),
            seen.readyPods(),
            seen.podsOnHash(),
            policy,
            seen.round());
    tpp.setStatus(StatusBuilder.build(tpp, observation, now));
    statusMetrics.record(tpp);
    return UpdateControl.patchStatus(tpp).rescheduleAfter(RESYNC);
  }

  /**
   * A reconciliation threw (the API server refused a write, a timeout): say so in Ready (reason
   * {@value StatusBuilder#RECONCILE_ERROR}) instead of leaving the last status standing; JOSDK
   * retries with backoff.
   */
  @Override
  public ErrorStatusUpdateControl<ThreadPoolProxy> updateErrorStatus(
      ThreadPoolProxy tpp, Context<ThreadPoolProxy> context, Exception e) {
    String error = ReconcileError.describe(e);
    LOG.warn(
        "event=reconcile_failed namespace={} name={} error={}",
        tpp.getMetadata().getNamespace(),
        tpp.getMetadata().getName(),
        error);
    tpp.setStatus(StatusBuilder.failed(tpp, error, Instant.now()));
    return ErrorStatusUpdateControl.patchStatus(tpp);
  }

  /**
   * The ConfigValid message already in status for this generation, so one bad spec posts one Event,
   * not many.
   */
  private static String invalidMessage(ThreadPoolProxy tpp) {
    if (tpp.getStatus() == null || tpp.getStatus().conditions == null) {
      return null;
    }
    return tpp.getStatus().conditions.stream()
        .filter(
            c -> c.getType().equals(StatusBuilder.CONFIG_VALID) && c.getStatus().equals("False"))
        .filter(
            c ->
                c.getObservedGeneration() != null
                    && c.getObservedGeneration().equals(tpp.getMetadata().getGeneration()))
        .map(c -> c.getMessage().replace(StatusBuilder.INVALID_SUFFIX, ""))
        .findFirst()
        .orElse(null);
  }
}
