/**
 * A port of libinjection's SQL injection and XSS detectors, for {@code @detectSQLi} and
 * {@code @detectXSS}. Types are non-null unless marked {@code @Nullable}: where null is part of a
 * contract, the signature says so.
 */
@NullMarked
package dev.tpp.waf.engine.libinjection;

import org.jspecify.annotations.NullMarked;
