package dev.tpp.waf.engine.runtime;

import dev.tpp.waf.engine.RuleMatch;
import dev.tpp.waf.engine.WafRequest;
import dev.tpp.waf.engine.WafResponse;
import dev.tpp.waf.engine.operator.MatchContext;
import dev.tpp.waf.engine.operator.PrefilterIndex;
import dev.tpp.waf.engine.seclang.IdRange;
import dev.tpp.waf.engine.seclang.MacroText;
import dev.tpp.waf.engine.seclang.Rule;
import dev.tpp.waf.engine.seclang.RuleSet;
import dev.tpp.waf.engine.seclang.Target;
import dev.tpp.waf.engine.seclang.Variable;
import dev.tpp.waf.engine.transform.Transformation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The per-request state of one inspection: the parsed request, the TX/IP/GLOBAL/SESSION
 * collections, what matched, the runtime exclusions set by {@code ctl}, and the verdict in
 * progress. Created and used by a single pool thread.
 */
public final class Transaction implements MatchContext {
  final RuleSet ruleSet;
  final WafRequest request;
  final RequestLine line;
  final List<KeyValue> headers = new ArrayList<>();
  final List<KeyValue> cookies = new ArrayList<>();
  final List<KeyValue> argsGet;
  BodyData body = new BodyData();
  final Map<Variable, Map<String, String>> collections = new EnumMap<>(Variable.class);
  final long startNanos = System.nanoTime();

  /** Resolves the references of parsed macro texts against this transaction. */
  final MacroText.Resolver macros = (variable, key) -> Macros.resolve(variable, key, this);

  /** As {@link #macros}, with {@code %{rule.msg}} empty: what the msg itself is expanded with. */
  final MacroText.Resolver macrosButRuleMsg =
      (variable, key) ->
          variable == Variable.RULE && "msg".equalsIgnoreCase(key)
              ? ""
              : Macros.resolve(variable, key, this);

  String engineMode;
  boolean bodyAccess;
  boolean responseBodyAccess;
  @Nullable String bodyProcessor;
  boolean forceBodyVariable;
  final List<IdRange> removedIds = new ArrayList<>();
  final List<String> removedTags = new ArrayList<>();
  final List<Map.Entry<IdRange, Target>> removedTargetsById = new ArrayList<>();
  final List<Map.Entry<String, Target>> removedTargetsByTag = new ArrayList<>();

  String matchedVar = "";
  String matchedVarName = "";
  final List<KeyValue> matchedVars = new ArrayList<>();
  @Nullable Rule currentRule;
  boolean capturing;

  final List<RuleMatch> matches = new ArrayList<>();

  /**
   * Transformed values per chain (canonical per rule set, so compared by identity) and input value.
   */
  private final Map<List<Transformation>, Map<String, Transformed>> transformed =
      new IdentityHashMap<>();

  /** Prefilter hits of inspected texts, shared by equal texts. */
  private final Map<String, PrefilterIndex.Hits> hitsByText = new HashMap<>(256);

  /**
   * Texts of {@link #LONG} chars or more are looked up by identity, in maps of their own: hashing a
   * 64 KB response body costs more than the rest of a rule's work on it, and each rule gets the
   * same instance ({@link #responseBody}). An equal text in another instance is just computed
   * again.
   */
  private static final int LONG = 4096;

  private final Map<String, PrefilterIndex.Hits> hitsByLongText = new IdentityHashMap<>();

  private final Map<List<Transformation>, Map<String, Transformed>> transformedLong =
      new IdentityHashMap<>();

  private final PrefilterIndex prefilters;

  /**
   * What {@link #transform} returned last: the operator asks for that text's prefilter hits right
   * after.
   */
  private @Nullable Transformed lastTransformed;

  /**
   * A transformed value and its prefilter hits, once asked for: saves the operator a lookup by
   * text.
   */
  private static final class Transformed {
    final String text;
    PrefilterIndex.@Nullable Hits hits;

    Transformed(String text) {
      this.text = text;
    }
  }

  /**
   * ARGS and ARGS_NAMES as of {@link #argsBody} holding {@link #argsPostCount} args: dozens of
   * rules read them.
   */
  private @Nullable List<KeyValue> args;

  private @Nullable List<KeyValue> argsNames;
  private @Nullable BodyData argsBody;
  private int argsPostCount = -1;

  /** Set when the response's phases run; its headers and body text are built on first use. */
  @Nullable WafResponse response;

  @Nullable List<KeyValue> responseHeaders;
  @Nullable String responseBody;

  boolean interrupted;
  int status;
  @Nullable String redirectUrl;
  boolean allowed;

  public Transaction(RuleSet ruleSet, WafRequest request) {
    this.ruleSet = ruleSet;
    this.request = request;
    this.prefilters = ruleSet.prefilters();
    this.line = RequestLine.of(request);
    this.engineMode = ruleSet.engineMode();
    this.bodyAccess = ruleSet.requestBodyAccess();
    this.responseBodyAccess = ruleSet.response().policy().bodyAccess();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.add(new KeyValue(h.getKey(), h.getValue()));
      if (h.getKey().equalsIgnoreCase("cookie")) {
        cookies.addAll(Cookies.parse(h.getValue()));
      }
    }
    this.argsGet = RequestLine.parseArgs(line.query(), '&');
    for (Variable v : Variable.values()) {
      if (v.isStore()) {
        collections.put(v, new LinkedHashMap<>());
      }
    }
  }

  /**
   * {@code value} through {@code chain}, computed once per transaction: transformations are pure
   * functions.
   */
  String transform(List<Transformation> chain, String value) {
    if (chain.isEmpty()) {
      return value;
    }
    Map<String, Transformed> byInput =
        value.length() >= LONG
            ? transformedLong.computeIfAbsent(chain, k -> new IdentityHashMap<>())
            : transformed.computeIfAbsent(chain, k -> new HashMap<>(64));
    Transformed out = byInput.get(value);
    if (out == null) {
      String text = value;
      for (Transformation t : chain) {
        text = t.apply(text);
      }
      out = new Transformed(text);
      byInput.put(value, out);
    }
    lastTransformed = out;
    return out.text;
  }

  /** ARGS_GET then ARGS_POST; rebuilt only when the body's args changed. */
  List<KeyValue> args() {
    if (argsBody != body || argsPostCount != body.args.size()) {
      args = Variables.concat(argsGet, body.args);
      argsNames = null;
      argsBody = body;
      argsPostCount = body.args.size();
    }
    return Objects.requireNonNull(args, "args: set on the first call, when argsBody is null");
  }

  /** The names of {@link #args()} as values. */
  List<KeyValue> argsNames() {
    List<KeyValue> all = args();
    if (argsNames == null) {
      argsNames = Variables.names(all);
    }
    return argsNames;
  }

  @Nullable String header(String name) {
    for (KeyValue h : headers) {
      if (name.equalsIgnoreCase(h.key())) {
        return h.value();
      }
    }
    return null;
  }

  /**
   * One of the six key/value stores ({@link Variable#isStore()}): TX, IP, GLOBAL, SESSION, USER,
   * RESOURCE.
   */
  Map<String, String> collection(Variable store) {
    return Objects.requireNonNull(collections.get(store), () -> "not a store: " + store);
  }

  void matched(String name, String value) {
    matchedVar = value;
    matchedVarName = name;
    matchedVars.add(new KeyValue(name, value));
  }

  @Override
  public boolean capturing() {
    return capturing;
  }

  @Override
  public void capture(List<String> groups) {
    Map<String, String> tx = collection(Variable.TX);
    for (int i = 0; i < 10; i++) {
      if (i < groups.size() && groups.get(i) != null) {
        tx.put(Integer.toString(i), groups.get(i));
      } else {
        tx.remove(Integer.toString(i));
      }
    }
  }

  @Override
  public PrefilterIndex.Hits literalHits(String text) {
    Transformed last = lastTransformed;
    if (last != null && last.text == text) {
      if (last.hits == null) {
        last.hits = hitsFor(text);
      }
      return last.hits;
    }
    return hitsFor(text);
  }

  private PrefilterIndex.Hits hitsFor(String text) {
    Map<String, PrefilterIndex.Hits> byText = text.length() >= LONG ? hitsByLongText : hitsByText;
    PrefilterIndex.Hits hits = byText.get(text);
    if (hits == null) {
      hits = prefilters.scan(text);
      byText.put(text, hits);
    }
    return hits;
  }

  @Override
  public String expand(MacroText text) {
    return text.expand(macros);
  }
}
