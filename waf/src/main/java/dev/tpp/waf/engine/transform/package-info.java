/**
 * SecLang transformations ({@code t:lowercase}, {@code t:urlDecodeUni} and the rest) on byte
 * strings. Types are non-null unless marked {@code @Nullable}: where null is part of a contract,
 * the signature says so.
 */
@NullMarked
package dev.tpp.waf.engine.transform;

import org.jspecify.annotations.NullMarked;
