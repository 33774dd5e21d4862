package dev.tpp.waf.engine.transform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transformation against the cases of {@code transformations.tsv} (beside this class, format
 * in its header).
 */
class TransformationsTest {

  static List<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (InputStream in = TransformationsTest.class.getResourceAsStream("transformations.tsv")) {
      int lineNo = 0;
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
        lineNo++;
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        if (f.length < 3) {
          throw new IllegalStateException(
              "transformations.tsv:" + lineNo + ": expected CHAIN, INPUT, EXPECTED");
        }
        out.add(Arguments.of("line " + lineNo, f[0], unescape(f[1]), unescape(f[2])));
      }
    }
    return out;
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("cases")
  void transformsAsTheDataFileSays(String where, String chain, String input, String expected) {
    String value = input;
    for (String name : chain.split(",")) {
      value =
          Transformations.byName(name.strip())
              .orElseThrow(() -> new AssertionError("no t:" + name))
              .apply(value);
    }
    assertEquals(expected, value, where);
  }

  @Test
  void namesAreCaseInsensitiveAndUnknownNamesAreAbsent() {
    assertTrue(Transformations.byName("URLDECODEUNI").isPresent());
    assertTrue(Transformations.byName("rot13").isEmpty());
  }

  /**
   * The data file's escapes: {@code \\ \t \n \r \xHH \\uHHHH}; any other char stands for itself.
   */
  static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 't' -> out.append('\t');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 'x' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
          i += 2;
        }
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return out.toString();
  }
}
