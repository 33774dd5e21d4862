package dev.tpp.waf.engine.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tpp.config.FuzzBudget;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The WAF's request-body processors on arbitrary bodies: urlencoded, multipart (with a fuzzed
 * Content-Type, so the boundary parameter is fuzzed too), JSON and XML. Bodies are bytes read as
 * ISO-8859-1, as the WAF reads them. A malformed body must end as {@code REQBODY_ERROR} (with a
 * message), never as an exception out of the processor, and in linear time ({@link FuzzBudget}). An
 * input is {@code P[Content-Type LF]body}: {@code P} = {@code u}, {@code m}, {@code j} or {@code x}
 * picks the processor (any other byte: by its value), and a multipart input's first line is its
 * Content-Type, so the seeds in {@code BodyParsersFuzzTestInputs/} read as what they test.
 */
class BodyParsersFuzzTest {
  private static final String[] PROCESSORS = {"URLENCODED", "MULTIPART", "JSON", "XML"};

  @FuzzTest(maxDuration = "30s")
  void bodyProcessorsFailCleanlyInLinearTime(byte[] input) {
    if (input.length == 0) {
      return;
    }
    int pick = "umjx".indexOf(input[0]);
    String processor = PROCESSORS[pick >= 0 ? pick : (input[0] & 0xFF) % PROCESSORS.length];
    String rest = latin1(Arrays.copyOfRange(input, 1, input.length));
    int lf = processor.equals("MULTIPART") ? rest.indexOf('\n') : -1;
    String contentType = lf < 0 ? "multipart/form-data; boundary=b" : rest.substring(0, lf);
    String body = rest.substring(lf + 1);
    BodyData out =
        FuzzBudget.within(
            processor + " body",
            body.length() + contentType.length(),
            () -> {
              BodyData data = new BodyData();
              BodyProcessors.run(processor, contentType, body, data);
              return data;
            });
    assertTrue(!out.error || !out.errorMessage.isEmpty(), "a body error has a message");
    if (processor.equals("MULTIPART")) {
      out.multipartFlags
          .values()
          .forEach(v -> assertTrue(v == 0 || v == 1, "multipart flags are 0 or 1"));
      assertFalse(
          out.fileSizes.stream().anyMatch(kv -> Long.parseLong(kv.value()) > body.length()),
          "no part is larger than the body");
    }
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
