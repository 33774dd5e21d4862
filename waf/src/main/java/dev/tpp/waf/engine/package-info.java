/**
 * The WAF engine's public face: build an engine from SecLang rule files, open a transaction per
 * request, and read its verdict. No Netty. Types are non-null unless marked {@code @Nullable}:
 * where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.waf.engine;

import org.jspecify.annotations.NullMarked;
