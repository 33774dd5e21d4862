package dev.tpp.proxy.route.files;

import org.jspecify.annotations.Nullable;

/**
 * One satisfiable byte range of a file, {@code first} to {@code last} inclusive, parsed from a
 * Range header. Pure.
 *
 * <p>{@link #parse} answers {@code null} when the whole file is served (no header, another unit,
 * bad syntax, or several ranges — multipart/byteranges is not supported, a 200 with everything is
 * always a valid answer) and {@link #UNSATISFIABLE} when the client gets 416.
 */
public record ByteRange(long first, long last) {
  /** The single range lies wholly past the end of the file (or the file is empty). */
  public static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

  private static final String UNIT = "bytes=";

  /**
   * Parses {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n} against a file of {@code size}
   * bytes.
   */
  public static @Nullable ByteRange parse(@Nullable String header, long size) {
    if (header == null || !header.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
      return null;
    }
    String spec = header.substring(UNIT.length()).trim();
    int dash = spec.indexOf('-');
    if (dash < 0 || spec.indexOf(',') >= 0) {
      return null;
    }
    long a = number(spec.substring(0, dash).trim());
    long b = number(spec.substring(dash + 1).trim());
    if (a == -1 && b >= 0) { // suffix: the last b bytes
      return b == 0 || size == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, size - b), size - 1);
    }
    if (a < 0 || b < -1 || (b >= 0 && b < a)) {
      return null;
    }
    if (a >= size) {
      return UNSATISFIABLE;
    }
    return new ByteRange(a, b == -1 ? size - 1 : Math.min(b, size - 1));
  }

  /** Digits to a number (saturating at Long.MAX_VALUE); -1 for empty, -2 for anything else. */
  private static long number(String digits) {
    if (digits.isEmpty()) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < digits.length(); i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return -2;
      }
      n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
    }
    return n;
  }

  /** How many bytes the range covers. */
  public long length() {
    return last - first + 1;
  }

  /** The Content-Range value for a 206, e.g. {@code bytes 0-99/1234}. */
  public String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }
}
