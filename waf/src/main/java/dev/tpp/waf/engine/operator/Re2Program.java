package dev.tpp.waf.engine.operator;

import com.google.re2j.Pattern;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * The instructions RE2/J compiled a pattern into, copied out of its package-private {@code Prog} at
 * build time so that {@link LazyDfa} can run the very same automaton: op, out and arg per
 * instruction, and for each rune instruction the Latin-1 runes it accepts (decided by RE2/J's own
 * {@code Inst.matchRune}, case folding included). Read through reflection once per pattern; when
 * RE2/J's internals are not what this expects, {@link #of} returns null and the pattern simply runs
 * on RE2/J alone. Immutable.
 */
final class Re2Program {
  // RE2/J's Inst op codes and EMPTY_* flags (com.google.re2j.Inst, com.google.re2j.Utils)
  static final int ALT = 1;
  static final int ALT_MATCH = 2;
  static final int CAPTURE = 3;
  static final int EMPTY_WIDTH = 4;
  static final int FAIL = 5;
  static final int MATCH = 6;
  static final int NOP = 7;
  static final int RUNE = 8;
  static final int RUNE1 = 9;
  static final int RUNE_ANY = 10;
  static final int RUNE_ANY_NOT_NL = 11;

  final int start;
  final int[] op;
  final int[] out;
  final int[] arg;

  /**
   * Per instruction: for rune instructions, a 256-bit set of the Latin-1 runes it accepts;
   * otherwise null.
   */
  final long[][] accepts;

  private Re2Program(int start, int[] op, int[] out, int[] arg, long[][] accepts) {
    this.start = start;
    this.op = op;
    this.out = out;
    this.arg = arg;
    this.accepts = accepts;
  }

  boolean accepts(int pc, int rune) {
    return (accepts[pc][rune >>> 6] & (1L << rune)) != 0;
  }

  /** The program of {@code pattern}, or null when it cannot be read (then RE2/J alone decides). */
  static @Nullable Re2Program of(Pattern pattern) {
    try {
      Object re2 = field(Pattern.class, "re2").get(pattern);
      Object prog = field(re2.getClass(), "prog").get(re2);
      Object[] inst = (Object[]) field(prog.getClass(), "inst").get(prog);
      int size = field(prog.getClass(), "instSize").getInt(prog);
      int start = field(prog.getClass(), "start").getInt(prog);
      Class<?> instClass = inst.getClass().getComponentType();
      Field opF = field(instClass, "op");
      Field outF = field(instClass, "out");
      Field argF = field(instClass, "arg");
      Field runesF = field(instClass, "runes");
      Method matchRune = instClass.getDeclaredMethod("matchRune", int.class);
      matchRune.setAccessible(true);
      int[] op = new int[size];
      int[] out = new int[size];
      int[] arg = new int[size];
      long[][] accepts = new long[size][];
      for (int pc = 0; pc < size; pc++) {
        op[pc] = opF.getInt(inst[pc]);
        out[pc] = outF.getInt(inst[pc]);
        arg[pc] = argF.getInt(inst[pc]);
        if (op[pc] < ALT || op[pc] > RUNE_ANY_NOT_NL) {
          return null;
        }
        if (op[pc] >= RUNE) {
          accepts[pc] = latin1Accepted(op[pc], (int[]) runesF.get(inst[pc]), inst[pc], matchRune);
        }
      }
      return new Re2Program(start, op, out, arg, accepts);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * What Machine.step accepts per op: RUNE via matchRune, RUNE1 exactly, RUNE_ANY all,
   * RUNE_ANY_NOT_NL all but \n.
   */
  private static long[] latin1Accepted(int op, int[] runes, Object inst, Method matchRune)
      throws ReflectiveOperationException {
    long[] set = new long[4];
    for (int c = 0; c < 256; c++) {
      boolean ok =
          switch (op) {
            case RUNE -> (Boolean) matchRune.invoke(inst, c);
            case RUNE1 -> c == runes[0];
            case RUNE_ANY -> true;
            default -> c != '\n';
          };
      if (ok) {
        set[c >>> 6] |= 1L << c;
      }
    }
    return set;
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
