package dev.tpp.waf.engine.libinjection;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random runs of fragments, the generator behind {@link SqlFragmentInputs} and {@link
 * XssFragmentInputs}.
 */
final class FragmentRuns {
  private FragmentRuns() {}

  /**
   * {@code count} inputs of 1 to {@code maxRun} fragments each, a space after a fragment one time
   * in {@code spaceOdds}; the same seed gives the same inputs.
   */
  static List<String> generate(
      String[] fragments, int maxRun, int spaceOdds, long seed, int count) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> out = new ArrayList<>(count);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < count; i++) {
      b.setLength(0);
      int n = 1 + random.nextInt(maxRun);
      for (int j = 0; j < n; j++) {
        b.append(fragments[random.nextInt(fragments.length)]);
        if (random.nextInt(spaceOdds) == 0) {
          b.append(' ');
        }
      }
      out.add(b.toString());
    }
    return out;
  }
}
