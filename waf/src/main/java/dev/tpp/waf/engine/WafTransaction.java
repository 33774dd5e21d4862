package dev.tpp.waf.engine;

/**
 * One request's inspection, kept for its response: {@link WafEngine#begin} ran phases 1 and 2;
 * {@link #inspectResponse} runs phases 3, 4 and 5 over the response with the same TX collection.
 * Used by one thread at a time: the pool thread that began it, then (handed over through the pool's
 * queue) the one that inspects the response.
 */
public interface WafTransaction {

  /** The verdict of phases 1 and 2. */
  WafVerdict requestVerdict();

  /**
   * {@code SecResponseBodyAccess} as the request phases left it ({@code ctl:responseBodyAccess}
   * turns it on or off per transaction): the proxy holds a response back for phase 4 only when it
   * is on. Read after {@link #requestVerdict}, by the thread that got the transaction handed over.
   * By default (no response phases) off.
   */
  default boolean responseBodyAccess() {
    return false;
  }

  /**
   * Runs phases 3 (headers), 4 (body, when {@link WafResponse#hasBody} and body access is still on)
   * and 5 (logging); at most once.
   */
  WafVerdict inspectResponse(WafResponse response);
}
