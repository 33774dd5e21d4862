/**
 * TLS on a listener: certificates chosen by SNI, the handshake's private-key operations offloaded
 * to the listener's pool, session tickets, and the handshake metrics. Types are non-null unless
 * marked {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.tls;

import org.jspecify.annotations.NullMarked;
