package dev.tpp.config;

/**
 * The name rule and numeric bounds that {@code proxy.yaml}'s validator enforces, in one place: the
 * validator checks them and the ThreadPoolProxy CRD's schema ({@code dev.tpp.crds}) is generated
 * from the same constants, so {@code kubectl apply} and {@code tpp-proxy --check} accept the same
 * names and ranges. Constants only (annotation values must be compile-time constants); the regex is
 * written in the subset that Java and the API server's CEL/RE2 read alike.
 */
public final class Limits {
  /** Pool, upstream and listener names: lower-case letters, digits and '-'. */
  public static final String NAME = "^[a-z0-9-]+$";

  /** What {@link #NAME} means, for error messages. */
  public static final String NAME_EXPECTED = "lower-case letters, digits and '-'";

  public static final int MAX_WORKERS = 256;
  public static final int MAX_THREADS = 1024;
  public static final int MAX_QUEUE = 10_000_000;
  public static final int MAX_THUMBNAIL_SIDE = 10_000;
  public static final int MAX_KEEPALIVE_CONNECTIONS = 10_000;
  public static final int MAX_CONSECUTIVE_ERRORS = 1000;

  private Limits() {}
}
