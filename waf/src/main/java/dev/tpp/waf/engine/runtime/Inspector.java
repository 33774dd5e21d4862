package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafVerdict;
import dev.tpp.waf.engine.seclang.RuleSet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * One inspection: phase 1, the request-body processor, phase 2, then the verdict. Called by pool threads, each with
 * its own request; the rule set is shared read-only. Reads the spool file when the body was spooled.
 */
public final class Inspector {
  private Inspector() {}

  public static WafVerdict inspect(RuleSet rules, WafRequest request) {
    Transaction tx = new Transaction(rules, request);
    if (!tx.engineMode.equals("Off") && RuleRunner.runPhase(rules.phase1(), 1, tx)) {
      processBody(tx);
      if (!tx.engineMode.equals("Off")) RuleRunner.runPhase(rules.phase2(), 2, tx);
    }
    if (tx.interrupted) return new WafVerdict(true, tx.status, tx.redirectUrl, tx.matches);
    return WafVerdict.pass(tx.matches);
  }

  private static void processBody(Transaction tx) {
    if (!tx.bodyAccess) return;
    String body = readBody(tx.request);
    if (body == null) return;
    String contentType = tx.header("Content-Type");
    String processor = tx.bodyProcessor != null ? tx.bodyProcessor : BodyProcessors.byContentType(contentType);
    BodyProcessors.run(processor, contentType, body, tx.body);
  }

  private static String readBody(WafRequest r) {
    try {
      if (r.body() != null) return new String(r.body(), StandardCharsets.ISO_8859_1);
      if (r.bodyFile() != null) return Files.readString(r.bodyFile(), StandardCharsets.ISO_8859_1);
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read spooled request body " + r.bodyFile(), e);
    }
  }
}
