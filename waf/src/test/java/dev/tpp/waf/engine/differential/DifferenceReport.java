package dev.tpp.waf.engine.differential;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Collects, for one configuration ({@code mode}, e.g. "crs-4.28.0 pl2"), each request's rule ids
 * from libmodsecurity and from tpp, and reports: how many sets are identical, per source group and
 * per rule, and every difference as a line {@code MODE KEY -ID +ID # SOURCE}: {@code -} for ids
 * only libmodsecurity logged, {@code +} for ids only tpp logged; KEY is a hash of the request's
 * content, so a pin survives reordering of the corpus. One thread.
 */
final class DifferenceReport {
  /**
   * CRS's reporting rules in phase 5 (RESPONSE-980): they carry {@code log,noauditlog}, and
   * libmodsecurity3 3.0.9 drops the log line of any rule with {@code noauditlog} (its NoAuditLog
   * action clears the message's "save" flag; ModSecurity issue #3180), where ModSecurity v2 and tpp
   * log them. Pure bookkeeping: left out of both sets.
   */
  static final Set<String> IGNORED =
      Set.of("980115", "980120", "980130", "980140", "980145", "980150", "980170");

  private final String mode;
  private final Map<String, int[]> bySource = new TreeMap<>(); // group -> {requests, identical}
  private final Map<String, int[]> byRule =
      new TreeMap<>(); // id -> {only libmodsecurity, only tpp}
  private final List<String> differences = new ArrayList<>();
  private final Map<String, String> differingRequests =
      new TreeMap<>(); // key -> the harness's input line
  private final Map<String, Integer> pins =
      new TreeMap<>(); // "CRS-VERSION -ID" -> requests showing it
  private int requests;
  private long tppMillis;
  private long modsecMillis;
  private int identical;
  private final Map<String, Integer> notCompared = new TreeMap<>(); // reason -> requests

  DifferenceReport(String mode) {
    this.mode = mode;
  }

  void add(Corpus.Entry entry, Set<String> modsec, Set<String> tpp) {
    modsec.removeAll(IGNORED);
    tpp.removeAll(IGNORED);
    requests++;
    String key = key(entry);
    int[] group = bySource.computeIfAbsent(group(entry.source()), g -> new int[2]);
    group[0]++;
    if (modsec.equals(tpp)) {
      identical++;
      group[1]++;
      return;
    }
    StringBuilder diff = new StringBuilder(mode).append(' ').append(key);
    for (String id : new TreeSet<>(modsec)) {
      if (!tpp.contains(id)) {
        diff.append(" -").append(id);
        byRule.computeIfAbsent(id, i -> new int[2])[0]++;
        pins.merge(crsVersion() + " -" + id, 1, Integer::sum);
      }
    }
    for (String id : tpp) {
      if (!modsec.contains(id)) {
        diff.append(" +").append(id.replace(' ', '_'));
        byRule.computeIfAbsent(id, i -> new int[2])[1]++;
        pins.merge(crsVersion() + " +" + id.replace(' ', '_'), 1, Integer::sum);
      }
    }
    differences.add(diff.append(" # ").append(entry.source()).toString());
    differingRequests.put(key, ModsecOracle.line(entry.request()).strip());
  }

  /**
   * A request left out of the comparison because libmodsecurity's answer to it is undefined ({@link
   * OracleUndefined}); counted per reason and printed, not part of {@link #requests()}.
   */
  void notCompared(String reason) {
    notCompared.merge(reason, 1, Integer::sum);
  }

  /** Wall time of each engine over this configuration's requests (they run side by side). */
  void timing(long tppMillis, long modsecMillis) {
    this.tppMillis = tppMillis;
    this.modsecMillis = modsecMillis;
  }

  int requests() {
    return requests;
  }

  int identical() {
    return identical;
  }

  /**
   * Each rule that differed, as it is pinned in known-differences.txt: {@code CRS-VERSION -ID}
   * (only libmodsecurity logged it) or {@code CRS-VERSION +ID} (only tpp), with how many requests
   * showed it.
   */
  Map<String, Integer> pins() {
    return pins;
  }

  private String crsVersion() {
    return mode.substring(0, mode.indexOf('/'));
  }

  /** Key to the request (as the harness reads it) of every difference, to replay one. */
  Map<String, String> differingRequests() {
    return differingRequests;
  }

  /** The difference lines, in corpus order. */
  List<String> differences() {
    return differences;
  }

  void print() {
    System.out.printf(
        "  %s: %d requests, %d identical (%.2f%%); tpp %d ms, libmodsecurity %d ms%n",
        mode, requests, identical, 100.0 * identical / requests, tppMillis, modsecMillis);
    notCompared.forEach(
        (reason, n) -> System.out.printf("    %6d requests not compared: %s%n", n, reason));
    bySource.forEach(
        (g, c) -> {
          if (c[0] != c[1]) {
            System.out.printf("    %-28s %6d requests %6d identical%n", g, c[0], c[1]);
          }
        });
    byRule.forEach(
        (id, c) ->
            System.out.printf(
                "    rule %-8s only libmodsecurity %5d, only tpp %5d%n", id, c[0], c[1]));
  }

  /** "crs-4.28.0", "benign json", "attack sqli", "odd broken-xml": the figures' grouping. */
  private static String group(String source) {
    String[] words = source.split(" ");
    return words[0].startsWith("crs-") || words.length < 2 ? words[0] : words[0] + " " + words[1];
  }

  /** A hash of what the request is (not its id): method, target, protocol, headers, body. */
  static String key(Corpus.Entry entry) {
    String line = ModsecOracle.line(entry.request());
    String content = line.substring(line.indexOf('\t'));
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
