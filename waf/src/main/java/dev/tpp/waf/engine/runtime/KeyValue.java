package dev.tpp.waf.engine.runtime;

import org.jspecify.annotations.Nullable;

/** One entry of a collection: {@code key} is null for scalar variables. */
record KeyValue(@Nullable String key, String value) {}
