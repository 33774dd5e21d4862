/**
 * The redirect of a plain listener to HTTPS ({@code redirectToHttps}). Types are non-null unless
 * marked {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.route.redirect;

import org.jspecify.annotations.NullMarked;
