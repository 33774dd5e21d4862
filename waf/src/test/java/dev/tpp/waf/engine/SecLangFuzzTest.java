package dev.tpp.waf.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tpp.config.FuzzBudget;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The SecLang reader and compiler (directives, quoting and continuations, targets, operators and
 * their regexes, actions, chains, Include and data files) on arbitrary rule text, read as
 * ISO-8859-1 like a rule file. A text either compiles or fails with a {@link WafCompileException}
 * that names the source and line ({@code fuzz.conf:N: ...}), in linear time ({@link FuzzBudget});
 * nothing else may escape. Include and {@code @pmFromFile} resolve against {@code
 * SecLangFuzzTestFixtures/} (one rule file, one data file). Seeds: {@code SecLangFuzzTestInputs/}.
 */
class SecLangFuzzTest {
  private static final Path FIXTURES = fixtures();

  @FuzzTest(maxDuration = "30s")
  void ruleTextCompilesOrFailsNamingTheLine(byte[] input) {
    String text = new String(input, StandardCharsets.ISO_8859_1);
    // 1 ms per byte: compiling is per rule (a regex, its prefilter and DFA) rather than per byte
    WafCompileException error =
        FuzzBudget.within("SecLang compile", input.length, 1000, () -> compile(text));
    if (error != null) {
      String message = String.valueOf(error.getMessage());
      assertTrue(
          message.startsWith("fuzz.conf:") || message.startsWith(FIXTURES.toString()),
          "a compile error names the source and line: " + message);
    }
  }

  private static WafCompileException compile(String text) {
    try {
      WafEngine.builder().rules("fuzz.conf", text, FIXTURES).build();
      return null;
    } catch (WafCompileException e) {
      return e;
    }
  }

  private static Path fixtures() {
    try {
      return Path.of(SecLangFuzzTest.class.getResource("SecLangFuzzTestFixtures").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
