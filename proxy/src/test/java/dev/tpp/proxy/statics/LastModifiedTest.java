package dev.tpp.proxy.statics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LastModifiedTest {
  static final long T = 784_111_777_123L; // Sun, 06 Nov 1994 08:49:37.123 GMT

  @Test
  void formatsRfc1123() {
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", LastModified.format(T));
  }

  @Test
  void notModifiedAtOrAfterTheFileTimeToTheSecond() {
    assertTrue(
        LastModified.notModified("Sun, 06 Nov 1994 08:49:37 GMT", T)); // sub-second part ignored
    assertTrue(LastModified.notModified("Sun, 06 Nov 1994 09:00:00 GMT", T));
    assertFalse(LastModified.notModified("Sun, 06 Nov 1994 08:49:36 GMT", T));
    assertFalse(LastModified.notModified("not a date", T));
    assertFalse(LastModified.notModified(null, T));
  }

  @Test
  void ifRangeHoldsOnlyForTheExactDate() {
    assertTrue(LastModified.rangeStillValid(null, T));
    assertTrue(LastModified.rangeStillValid("Sun, 06 Nov 1994 08:49:37 GMT", T));
    assertFalse(LastModified.rangeStillValid("Sun, 06 Nov 1994 08:49:38 GMT", T));
    assertFalse(LastModified.rangeStillValid("\"an-etag\"", T));
  }

  @Test
  void notModifiedResponseHasNoBody() {
    var response = LastModified.notModifiedResponse(T);
    try {
      assertEquals(304, response.status().code());
      assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", response.headers().get("Last-Modified"));
      assertEquals(0, response.content().readableBytes());
    } finally {
      response.release();
    }
  }
}
