/**
 * What the static-content routes (files, thumbnails) share: safe paths, conditional requests. Types
 * are non-null unless marked {@code @Nullable}: where null is part of a contract, the signature
 * says so.
 */
@NullMarked
package dev.tpp.proxy.statics;

import org.jspecify.annotations.NullMarked;
