package dev.tpp.proxy.route.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

  /**
   * Expected: "first-last" for a 206, "whole" for a 200 with everything, "416" for unsatisfiable.
   */
  @ParameterizedTest(name = "{0} of {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "bytes=0-99              | 1000 | 0-99",
        "bytes=100-199           | 1000 | 100-199",
        "bytes=0-0               | 1000 | 0-0",
        "bytes=990-2000          | 1000 | 990-999",
        "bytes=0-99999999999999999999 | 1000 | 0-999",
        "bytes=500-              | 1000 | 500-999",
        "bytes=-100              | 1000 | 900-999",
        "bytes=-5000             | 1000 | 0-999",
        "BYTES=1-2               | 1000 | 1-2",
        "bytes= 1-2              | 1000 | 1-2",
        "bytes=999-999           | 1000 | 999-999",
        "bytes=1000-             | 1000 | 416",
        "bytes=1000-1001         | 1000 | 416",
        "bytes=99999999999999999999- | 1000 | 416",
        "bytes=-0                | 1000 | 416",
        "bytes=0-                | 0    | 416",
        "bytes=-1                | 0    | 416",
        "null                    | 1000 | whole",
        "bytes=0-1,5-6           | 1000 | whole",
        "bytes=5-3               | 1000 | whole",
        "bytes=-                 | 1000 | whole",
        "bytes=a-b               | 1000 | whole",
        "bytes=1-x               | 1000 | whole",
        "bytes=--1               | 1000 | whole",
        "bytes=12                | 1000 | whole",
        "items=0-1               | 1000 | whole",
        "bytes 0-1               | 1000 | whole",
      })
  void parsesSingleRanges(String header, long size, String expected) {
    ByteRange range = ByteRange.parse(header, size);
    String actual =
        range == null
            ? "whole"
            : range == ByteRange.UNSATISFIABLE ? "416" : range.first() + "-" + range.last();
    assertEquals(expected, actual);
  }

  @Test
  void describesItselfForContentRange() {
    ByteRange range = ByteRange.parse("bytes=-100", 1000);
    assertEquals(100, range.length());
    assertEquals("bytes 900-999/1000", range.contentRange(1000));
  }
}
