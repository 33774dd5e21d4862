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
   * Runs phases 3 (headers), 4 (body, when {@code response.body()} is set) and 5 (logging); at most
   * once.
   */
  WafVerdict inspectResponse(WafResponse response);
}
