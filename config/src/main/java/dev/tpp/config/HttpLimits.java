package dev.tpp.config;

import java.time.Duration;

/**
 * How strictly and for how long the proxy reads a request ({@code http:}, an extension of the
 * contract's file with nginx-like defaults). A request line longer than {@code maxRequestLine} gets
 * 414; headers larger than {@code maxHeaderSize} in all, or more than {@code maxHeaders} fields,
 * get 431; a client that has not sent a whole request head within {@code headerTimeout} is
 * disconnected (with 408 if it sent part of one), and one that sends no body bytes for {@code
 * bodyTimeout} while the proxy waits for them gets 408 and is disconnected. {@code
 * allowEncodedSlash} lets {@code %2F} stand in a path (kept encoded, never a separator) instead of
 * 400; {@code allowAmbiguousContentType} lets a request with two {@code Content-Type} fields, or a
 * multipart type with two {@code boundary} parameters, through instead of 400. Request bodies the
 * WAF spools to disk are bounded per worker by {@code spoolFilesPerWorker} files and {@code
 * spoolBytesPerWorker} bytes (beyond: 503).
 */
public record HttpLimits(
    Duration headerTimeout,
    int maxRequestLine,
    int maxHeaderSize,
    int maxHeaders,
    Duration bodyTimeout,
    boolean allowEncodedSlash,
    boolean allowAmbiguousContentType,
    int spoolFilesPerWorker,
    long spoolBytesPerWorker) {

  /** The three head limits of the original {@code http:} block; everything else at its default. */
  public HttpLimits(Duration headerTimeout, int maxRequestLine, int maxHeaderSize) {
    this(
        headerTimeout,
        maxRequestLine,
        maxHeaderSize,
        ConfigDefaults.HTTP_MAX_HEADERS,
        ConfigDefaults.HTTP_BODY_TIMEOUT,
        false,
        false,
        ConfigDefaults.HTTP_SPOOL_FILES_PER_WORKER,
        ConfigDefaults.HTTP_SPOOL_BYTES_PER_WORKER);
  }
}
