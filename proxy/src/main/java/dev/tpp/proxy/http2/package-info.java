/**
 * HTTP/2 on a listener (h2 by ALPN, h2c by prior knowledge): the pipeline, stream limits and
 * errors, and the adapter that turns each stream into the same exchange an HTTP/1.1 request gets.
 * Types are non-null unless marked {@code @Nullable}: where null is part of a contract, the
 * signature says so.
 */
@NullMarked
package dev.tpp.proxy.http2;

import org.jspecify.annotations.NullMarked;
