/**
 * What a route is ({@link Route}, {@link RouteHandler}) and how a request finds one ({@link
 * Router}); one subpackage per kind of route. Types are non-null unless marked {@code @Nullable}:
 * where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.route;

import org.jspecify.annotations.NullMarked;
