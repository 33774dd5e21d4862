/**
 * The socket transport: native epoll where it loads, NIO elsewhere. Types are non-null unless
 * marked {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.transport;

import org.jspecify.annotations.NullMarked;
