/**
 * SecLang operators ({@code @rx}, {@code @pm}, {@code @ipMatch} and the rest): compiled when the
 * rule set is built, matched on pool threads with bounded regex work. Types are non-null unless
 * marked {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.waf.engine.operator;

import org.jspecify.annotations.NullMarked;
