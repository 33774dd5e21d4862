package dev.tpp.waf.engine.operator;

/**
 * A CharSequence that counts reads and throws {@link Exhausted} past its budget, so a backtracking
 * java.util.regex match on it cannot run for ever. Confined to the thread that matches.
 */
final class BudgetedCharSequence implements CharSequence {
  /** Thrown out of the regex engine when the budget is spent; carries no stack trace. */
  static final class Exhausted extends RuntimeException {
    Exhausted() {
      super("regex step budget exhausted", null, false, false);
    }
  }

  private final String text;
  private final int offset;
  private final int length;
  private final long[] remaining;

  BudgetedCharSequence(String text, long budget) {
    this(text, 0, text.length(), new long[] {budget});
  }

  private BudgetedCharSequence(String text, int offset, int length, long[] remaining) {
    this.text = text;
    this.offset = offset;
    this.length = length;
    this.remaining = remaining;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    if (--remaining[0] < 0) {
      throw new Exhausted();
    }
    return text.charAt(offset + index);
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return new BudgetedCharSequence(text, offset + start, end - start, remaining);
  }

  @Override
  public String toString() {
    return text.substring(offset, offset + length);
  }
}
