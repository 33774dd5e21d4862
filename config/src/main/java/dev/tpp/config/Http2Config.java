package dev.tpp.config;

import java.time.Duration;

/**
 * HTTP/2 limits ({@code http2:}), applied to every listener with {@code http2: true}. The first
 * four are announced in the server's SETTINGS; the others bound what a client may make the server
 * do (the known floods) and how long a stream may stall on a closed flow-control window. A
 * connection that breaks one gets GOAWAY.
 */
public record Http2Config(
    int maxConcurrentStreams,
    int maxHeaderListSize,
    int headerTableSize,
    int maxFrameSize,
    int initialWindowSize,
    int maxResets,
    Duration resetWindow,
    int maxContinuationFrames,
    int maxEmptyFrames,
    int maxQueuedControlFrames,
    Duration stallTimeout) {}
