/**
 * The {@code thumbnail} route: an image under the root scaled to fit a box and answered as a JPEG,
 * rendered on the thumbnail pool. Types are non-null unless marked {@code @Nullable}: where null is
 * part of a contract, the signature says so.
 */
@NullMarked
package dev.tpp.proxy.route.thumbnail;

import org.jspecify.annotations.NullMarked;
