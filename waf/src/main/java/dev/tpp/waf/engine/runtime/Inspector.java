package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafResponse;
import dev.tpp.waf.engine.WafTransaction;
import dev.tpp.waf.engine.WafVerdict;
import dev.tpp.waf.engine.seclang.ResponseRules;
import dev.tpp.waf.engine.seclang.RuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.jspecify.annotations.Nullable;

/**
 * One inspection: phase 1, the request-body processor, phase 2, the verdict; later, for the
 * response, phases 3, 4 and 5 on the same transaction. Called by pool threads, one at a time per
 * transaction; the rule set is shared read-only. Reads the spool file when the body was spooled.
 */
public final class Inspector implements WafTransaction {
  private final Transaction tx;
  private final WafVerdict requestVerdict;
  private boolean responseSeen;

  private Inspector(Transaction tx, WafVerdict requestVerdict) {
    this.tx = tx;
    this.requestVerdict = requestVerdict;
  }

  public static WafTransaction begin(RuleSet rules, WafRequest request) {
    Transaction tx = new Transaction(rules, request);
    if (!tx.engineMode.equals("Off") && RuleRunner.runPhase(rules.phase1(), 1, tx)) {
      processBody(tx);
      if (!tx.engineMode.equals("Off")) {
        RuleRunner.runPhase(rules.phase2(), 2, tx);
      }
    }
    WafVerdict verdict = verdict(tx);
    if (tx.interrupted) {
      logging(tx); // no response phases follow a refused request; phase 5 still runs
    }
    return new Inspector(tx, verdict);
  }

  @Override
  public WafVerdict requestVerdict() {
    return requestVerdict;
  }

  @Override
  public boolean responseBodyAccess() {
    return tx.responseBodyAccess;
  }

  @Override
  public WafVerdict inspectResponse(WafResponse response) {
    if (responseSeen || tx.interrupted) {
      throw new IllegalStateException("response already inspected or request refused");
    }
    responseSeen = true;
    int before = tx.matches.size();
    tx.response = response;
    ResponseRules rules = tx.ruleSet.response();
    if (!tx.engineMode.equals("Off")
        && !tx.allowed
        && RuleRunner.runPhase(rules.phase3(), 3, tx)
        && tx.responseBodyAccess
        && response.hasBody()) {
      RuleRunner.runPhase(rules.phase4(), 4, tx);
    }
    WafVerdict verdict = verdict(tx);
    logging(tx);
    return new WafVerdict(
        verdict.disruptive(),
        verdict.status(),
        verdict.redirectUrl(),
        tx.matches.subList(before, tx.matches.size()));
  }

  /**
   * Phase 5: logging rules; they run in every engine mode but On-or-DetectionOnly and never
   * disrupt.
   */
  private static void logging(Transaction tx) {
    if (tx.engineMode.equals("Off")) {
      return;
    }
    boolean interrupted = tx.interrupted;
    String mode = tx.engineMode;
    tx.engineMode = "DetectionOnly";
    RuleRunner.runPhase(tx.ruleSet.response().phase5(), 5, tx);
    tx.engineMode = mode;
    tx.interrupted = interrupted;
  }

  private static WafVerdict verdict(Transaction tx) {
    return tx.interrupted
        ? new WafVerdict(true, tx.status, tx.redirectUrl, tx.matches)
        : WafVerdict.pass(tx.matches);
  }

  private static void processBody(Transaction tx) {
    if (!tx.bodyAccess) {
      return;
    }
    String body = readBody(tx.request);
    if (body == null) {
      return;
    }
    String contentType = tx.header("Content-Type");
    String processor =
        tx.bodyProcessor != null ? tx.bodyProcessor : BodyProcessors.byContentType(contentType);
    BodyProcessors.run(processor, contentType, body, tx.body);
  }

  private static @Nullable String readBody(WafRequest r) {
    try {
      if (r.body() != null) {
        return new String(r.body(), StandardCharsets.ISO_8859_1);
      }
      if (r.bodyFile() != null) {
        return Files.readString(r.bodyFile(), StandardCharsets.ISO_8859_1);
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spooled request body " + r.bodyFile(), e);
    }
  }
}
