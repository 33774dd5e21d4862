package dev.tpp.waf.engine.runtime;

/** One entry of a collection: {@code key} is null for scalar variables. */
record KeyValue(String key, String value) {}
