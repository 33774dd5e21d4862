package dev.tpp.waf.engine.operator;

/**
 * Which chars and adjacent char pairs (ASCII case folded) occur in one text, as bit sets: a literal whose chars or
 * pairs are not all present cannot occur in the text, so the {@link LiteralPrefilter}s of a hundred CRS rules can
 * rule the text out without each scanning it. Pairs are hashed into a set sized to the text (false positives only
 * let a text through to the full scan). Built per request by the transaction, for texts several rules inspect;
 * used by that transaction's thread only.
 */
public final class TextSketch {
  private final long[] chars = new long[4];
  private final long[] pairs;
  private final int shift;
  private boolean beyondLatin1;

  private TextSketch(int bits) {
    this.pairs = new long[bits >>> 6];
    this.shift = 32 - Integer.numberOfTrailingZeros(bits);
  }

  /** The sketch of {@code text}. */
  public static TextSketch of(String text) {
    int bits = Integer.highestOneBit(Math.max(512, Math.min(1 << 16, text.length() * 16)));
    TextSketch s = new TextSketch(bits);
    int previous = -1;
    for (int i = 0; i < text.length(); i++) {
      int c = text.charAt(i);
      if (c > 0xFF) {
        s.beyondLatin1 = true;
        return s;
      }
      c = fold(c);
      s.chars[c >>> 6] |= 1L << c;
      if (previous >= 0) {
        int bit = s.pairBit(previous, c);
        s.pairs[bit >>> 6] |= 1L << bit;
      }
      previous = c;
    }
    return s;
  }

  static int fold(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  int pairBit(int first, int second) {
    return ((first << 8 | second) * 0x9E3779B1) >>> shift;
  }

  /** Whether the text has a char beyond Latin-1 (then prefilters defer to RE2, as for an unsketched text). */
  boolean beyondLatin1() {
    return beyondLatin1;
  }

  /** Whether {@code literal} (already folded, Latin-1) may occur in the text; false means it certainly does not. */
  boolean mayContain(String literal) {
    int previous = -1;
    for (int i = 0; i < literal.length(); i++) {
      int c = literal.charAt(i);
      if ((chars[c >>> 6] & 1L << c) == 0) return false;
      if (previous >= 0) {
        int bit = pairBit(previous, c);
        if ((pairs[bit >>> 6] & 1L << bit) == 0) return false;
      }
      previous = c;
    }
    return true;
  }
}
