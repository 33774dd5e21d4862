package dev.tpp.waf.engine;

import java.util.List;
import java.util.Locale;

/**
 * What the rule set asks of responses, from {@code SecResponseBodyAccess}, {@code
 * SecResponseBodyMimeType}, {@code SecResponseBodyLimit} and {@code SecResponseBodyLimitAction}.
 * Immutable; any thread.
 *
 * @param inspects true when there are phase 3 or 4 rules: the proxy then holds the response head
 *     for a verdict
 * @param bodyAccess SecResponseBodyAccess (default Off, as ModSecurity)
 * @param mimeTypes lower-case media types whose bodies are inspected (default text/plain,
 *     text/html)
 * @param bodyLimit the most body bytes inspected (default 512 KiB)
 * @param rejectOverLimit SecResponseBodyLimitAction Reject (default): a longer body is refused;
 *     else ProcessPartial
 */
public record ResponsePolicy(
    boolean inspects,
    boolean bodyAccess,
    List<String> mimeTypes,
    long bodyLimit,
    boolean rejectOverLimit) {

  /** Responses are not inspected. */
  public static final ResponsePolicy NONE =
      new ResponsePolicy(false, false, List.of(), 524_288, true);

  public ResponsePolicy {
    mimeTypes = List.copyOf(mimeTypes);
  }

  /** True when a response with this Content-Type must be held back until its body was inspected. */
  public boolean inspectsBodyOf(String contentType) {
    if (!inspects || !bodyAccess || contentType == null) {
      return false;
    }
    String type = contentType.toLowerCase(Locale.ROOT);
    int semicolon = type.indexOf(';');
    return mimeTypes.contains((semicolon < 0 ? type : type.substring(0, semicolon)).strip());
  }
}
