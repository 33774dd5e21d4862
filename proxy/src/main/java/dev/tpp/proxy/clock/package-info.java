/**
 * The clock as an event loop reads it: once per loop turn, not once per use ({@link LoopClock}),
 * and Micrometer's clock on top of it ({@link MeterClock}). Types are non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.tpp.proxy.clock;

import org.jspecify.annotations.NullMarked;
