/**
 * The audit log's policy ({@code SecAudit*} directives) and its record, rendered as
 * libmodsecurity3's JSON. Types are non-null unless marked {@code @Nullable}: where null is part of
 * a contract, the signature says so.
 */
@NullMarked
package dev.tpp.waf.engine.audit;

import org.jspecify.annotations.NullMarked;
