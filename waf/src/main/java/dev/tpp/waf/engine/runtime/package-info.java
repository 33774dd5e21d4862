/**
 * A transaction at run time: variables collected from the request and response, body processors,
 * rules run phase by phase, actions executed. Confined to the transaction's thread. Types are
 * non-null unless marked {@code @Nullable}: where null is part of a contract, the signature says
 * so.
 */
@NullMarked
package dev.tpp.waf.engine.runtime;

import org.jspecify.annotations.NullMarked;
