/**
 * The running server: worker loops, listening sockets, each connection's pipeline and dispatcher,
 * config generations and their retirement. Types are non-null unless marked {@code @Nullable}:
 * where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.server;

import org.jspecify.annotations.NullMarked;
