package dev.tpp.config;

import static dev.tpp.config.LoadResults.fixture;
import static dev.tpp.config.LoadResults.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The module README is user documentation: its example must stay a valid config, the same as the
 * contract's.
 */
class ReadmeTest {

  @Test
  void readmeExampleIsTheContractExample() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int start = readme.indexOf("```yaml\n") + "```yaml\n".length();
    String example = readme.substring(start, readme.indexOf("```", start));
    assertEquals(parse(fixture("contract-example.yaml")), parse(example));
  }
}
