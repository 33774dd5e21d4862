package dev.tpp.proxy.route.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldKindsTest {
  private static int kindOf(String name) {
    byte[] in = ("x" + name + ":").getBytes(StandardCharsets.US_ASCII);
    return FieldKinds.of(in, 1, 1 + name.length());
  }

  @ParameterizedTest
  @ValueSource(strings = {"lower", "UPPER", "Title"})
  void everyHopByHopAndProtectedNameIsFoundInAnyCase(String spelling) {
    for (AsciiString name : HopByHopHeaders.FIXED) {
      assertNotEquals(0, kindOf(spell(name, spelling)) & FieldKinds.HOP_BY_HOP, name::toString);
    }
    for (AsciiString name : HopByHopHeaders.PROTECTED) {
      int kind = kindOf(spell(name, spelling));
      assertNotEquals(0, kind & FieldKinds.PROTECTED, name::toString);
      assertEquals(0, kind & FieldKinds.HOP_BY_HOP, name::toString);
    }
    assertEquals(
        FieldKinds.CONTENT_LENGTH | FieldKinds.PROTECTED,
        kindOf(spell("content-length", spelling)));
    assertEquals(
        FieldKinds.TRANSFER_ENCODING | FieldKinds.HOP_BY_HOP,
        kindOf(spell("transfer-encoding", spelling)));
    assertEquals(
        FieldKinds.CONNECTION | FieldKinds.HOP_BY_HOP, kindOf(spell("connection", spelling)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Server",
        "Date",
        "tf",
        "Connectiom",
        "Content-Lengths",
        "Keep-Alivf",
        "X-Forwarded-Fo",
        "a",
        // other tchars in the place of a hyphen or a letter (the name bytes are compared as c |
        // 0x20)
        "Keep_Alive",
        "Keep~Alive",
        "Content.Length",
        "Transfer+Encoding",
        "UPGRAD^",
        "Connectio`"
      })
  void otherNamesHaveNoKind(String name) {
    assertEquals(0, kindOf(name));
    assertEquals(0, kindOf(name + "-" + "x".repeat(40))); // longer than any special name
  }

  private static String spell(CharSequence name, String how) {
    String s = name.toString();
    return switch (how) {
      case "UPPER" -> s.toUpperCase();
      case "Title" -> Character.toUpperCase(s.charAt(0)) + s.substring(1);
      default -> s;
    };
  }
}
