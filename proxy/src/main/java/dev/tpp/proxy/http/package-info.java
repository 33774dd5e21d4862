/**
 * HTTP/1.1 plumbing below the routes: the strict request decoder and response encoder, the exchange
 * a route answers through, request bodies, keep-alive and body timeouts, and the one place errors
 * become responses. Types are non-null unless marked {@code @Nullable}: where null is part of a
 * contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.http;

import org.jspecify.annotations.NullMarked;
