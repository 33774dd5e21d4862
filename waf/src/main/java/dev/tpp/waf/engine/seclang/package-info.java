/**
 * The SecLang parser: directives, rules, targets, actions and {@code ctl} options, resolved when
 * the rule set is read; an unknown name fails the build with its file and line. Types are non-null
 * unless marked {@code @Nullable}: where null is part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.waf.engine.seclang;

import org.jspecify.annotations.NullMarked;
