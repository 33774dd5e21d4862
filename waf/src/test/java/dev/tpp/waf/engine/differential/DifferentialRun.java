package dev.tpp.waf.engine.differential;

import dev.tpp.waf.engine.ResponsePolicy;
import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafEngine;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafResponse;
import dev.tpp.waf.engine.WafTransaction;
import dev.tpp.waf.engine.differential.ModsecOracle.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * One configuration of the differential test (a CRS directory at one paranoia level): writes the
 * rule file both engines load, runs the requests through libmodsecurity (its own process,
 * concurrently) and through tpp's engine (on the calling thread), and hands each request's two sets
 * of logged rule ids to a {@link DifferenceReport}. Both answer every request with the same small
 * HTML response, as the harness does.
 */
final class DifferentialRun {
  static final String RESPONSE_BODY =
      "<html><head><title>ok</title></head><body><p>Hello, world.</p></body></html>\n";
  static final String RESPONSE_TYPE = "text/html; charset=utf-8";

  /**
   * ModSecurity's recommended settings that matter here, its JSON/XML processor rules, CRS at a
   * paranoia level. Rule 200005 forces REQUEST_BODY for every body: libmodsecurity3 always fills
   * it, tpp (as ModSecurity's reference manual has it) only for the URLENCODED processor unless
   * forced, a deliberate difference (waf/README.md) that would otherwise hide every other
   * difference of the rules that read REQUEST_BODY (920272/920273 at PL3/PL4...).
   */
  static String rules(Path crs, int paranoiaLevel) {
    return String.join(
        "\n",
        "SecRuleEngine On",
        "SecRequestBodyAccess On",
        "SecRequestBodyLimit 13107200",
        "SecRequestBodyNoFilesLimit 131072",
        "SecResponseBodyAccess On",
        "SecResponseBodyMimeType text/plain text/html text/xml",
        "SecResponseBodyLimit 524288",
        "SecResponseBodyLimitAction ProcessPartial",
        "SecArgumentSeparator &",
        "SecRule REQUEST_HEADERS:Content-Type \"^(?:application(?:/soap\\+|/)|text/)xml\" \"id:200000,phase:1,"
            + "t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML\"",
        "SecRule REQUEST_HEADERS:Content-Type \"^application/json\" \"id:200001,phase:1,t:none,t:lowercase,pass,"
            + "nolog,ctl:requestBodyProcessor=JSON\"",
        "SecAction \"id:200005,phase:1,pass,nolog,ctl:forceRequestBodyVariable=On\"",
        "SecRule REQBODY_ERROR \"!@eq 0\" \"id:200002,phase:2,t:none,log,pass,msg:'Failed to parse request body.'\"",
        "SecRule MULTIPART_STRICT_ERROR \"!@eq 0\" \"id:200003,phase:2,t:none,log,pass,msg:'Multipart strict'\"",
        "SecRule MULTIPART_UNMATCHED_BOUNDARY \"@eq 1\" \"id:200004,phase:2,t:none,log,pass,msg:'Unmatched boundary'\"",
        "Include " + crs.toAbsolutePath().resolve("crs-setup.conf.example"),
        "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level="
            + paranoiaLevel
            + ",setvar:tx.blocking_paranoia_level="
            + paranoiaLevel
            + "\"",
        "Include " + crs.toAbsolutePath().resolve("rules") + "/*.conf",
        "");
  }

  private DifferentialRun() {}

  /**
   * Runs {@code requests} through both engines with CRS at {@code paranoiaLevel}; adds every pair
   * to the report.
   */
  static void run(
      ModsecOracle oracle,
      Path dir,
      Path crs,
      int paranoiaLevel,
      List<Corpus.Entry> entries,
      DifferenceReport report)
      throws Exception {
    Path file = dir.resolve("rules-" + crs.getFileName() + "-pl" + paranoiaLevel + ".conf");
    Files.writeString(file, rules(crs, paranoiaLevel));
    WafEngine waf = WafEngine.builder().ruleFile(file).build();
    List<WafRequest> requests = entries.stream().map(Corpus.Entry::request).toList();
    long start = System.nanoTime();
    long[] modsecNanos = new long[1];
    CompletableFuture<Map<String, Outcome>> modsec =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                Map<String, Outcome> outcomes = oracle.run(file, requests);
                modsecNanos[0] = System.nanoTime() - start;
                return outcomes;
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    List<Set<String>> ours = requests.stream().map(r -> inspect(waf, r)).toList();
    long tppNanos = System.nanoTime() - start;
    Map<String, Outcome> theirs = modsec.join();
    report.timing(tppNanos / 1_000_000, modsecNanos[0] / 1_000_000);
    for (int i = 0; i < entries.size(); i++) {
      Corpus.Entry e = entries.get(i);
      String undefined = OracleUndefined.reason(e.request());
      if (undefined != null) {
        report.notCompared(undefined);
        continue;
      }
      report.add(e, new TreeSet<>(theirs.get(e.request().id()).ruleIds()), ours.get(i));
    }
  }

  /** The ids tpp's engine logs for the request and, unless it was refused, the response. */
  static Set<String> inspect(WafEngine waf, WafRequest request) {
    Set<String> ids = new TreeSet<>();
    try {
      WafTransaction tx = waf.begin(request);
      tx.requestVerdict().matches().stream().map(RuleMatch::ruleId).forEach(ids::add);
      if (tx.requestVerdict().disruptive()) {
        return ids;
      }
      byte[] body = RESPONSE_BODY.getBytes(StandardCharsets.ISO_8859_1);
      ResponsePolicy policy = waf.responsePolicy();
      WafResponse response =
          new WafResponse(
              200,
              "HTTP/1.1",
              List.of(
                  Map.entry("Content-Type", RESPONSE_TYPE),
                  Map.entry("Content-Length", Integer.toString(body.length))),
              policy.inspectsBodyOf(RESPONSE_TYPE) ? body : null,
              body.length);
      tx.inspectResponse(response).matches().stream().map(RuleMatch::ruleId).forEach(ids::add);
    } catch (RuntimeException e) {
      ids.add("EXCEPTION " + e);
    }
    return ids;
  }
}
