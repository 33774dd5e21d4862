package dev.tpp.waf.engine.runtime;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * JSON body processor: every scalar becomes an ARGS_POST entry named like ModSecurity names it
 * ({@code json.a.b}, array items {@code json.a.0}). A small recursive-descent reader, bounded in
 * depth. Scalars other than strings must be JSON's literals or numbers (else REQBODY_ERROR, as yajl
 * in ModSecurity); {@code null} becomes the empty string, as ModSecurity stores it.
 */
final class JsonFlattener {
  private static final int MAX_DEPTH = 512;
  private static final Pattern NUMBER =
      Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");
  private final String s;
  private final BodyData out;
  private int i;

  private JsonFlattener(String s, BodyData out) {
    this.s = s;
    this.out = out;
  }

  static void parse(String body, BodyData out) {
    JsonFlattener p = new JsonFlattener(body, out);
    try {
      p.value("json", 0);
      p.ws();
      if (p.i != body.length()) {
        throw new IllegalArgumentException("trailing data at " + p.i);
      }
    } catch (IllegalArgumentException | StringIndexOutOfBoundsException e) {
      out.fail("JSON parsing error: " + e.getMessage());
    }
  }

  private void ws() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private void value(String name, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("too deep");
    }
    ws();
    char c = s.charAt(i);
    if (c == '{') {
      i++;
      ws();
      if (s.charAt(i) == '}') {
        i++;
        return;
      }
      while (true) {
        ws();
        String key = string();
        ws();
        expect(':');
        value(name + "." + key, depth + 1);
        ws();
        if (s.charAt(i) == ',') {
          i++;
        } else {
          break;
        }
      }
      expect('}');
    } else if (c == '[') {
      i++;
      ws();
      if (s.charAt(i) == ']') {
        i++;
        return;
      }
      for (int n = 0; ; n++) {
        value(name + "." + n, depth + 1);
        ws();
        if (s.charAt(i) == ',') {
          i++;
        } else {
          break;
        }
      }
      expect(']');
    } else if (c == '"') {
      out.args.add(new KeyValue(name, string()));
    } else {
      int start = i;
      while (i < s.length() && ",}] \t\r\n".indexOf(s.charAt(i)) < 0) {
        i++;
      }
      String literal = s.substring(start, i);
      if (!literal.equals("true")
          && !literal.equals("false")
          && !literal.equals("null")
          && !NUMBER.matcher(literal).matches()) {
        throw new IllegalArgumentException("unexpected '" + c + "' at " + start);
      }
      out.args.add(new KeyValue(name, literal.equals("null") ? "" : literal)); // yajl's null is ""
    }
  }

  private void expect(char c) {
    if (i >= s.length() || s.charAt(i) != c) {
      throw new IllegalArgumentException("expected '" + c + "' at " + i);
    }
    i++;
  }

  private String string() {
    expect('"');
    StringBuilder b = new StringBuilder();
    while (s.charAt(i) != '"') {
      char c = s.charAt(i++);
      if (c != '\\') {
        b.append(c);
        continue;
      }
      char e = s.charAt(i++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          int cp = Integer.parseInt(s.substring(i, i + 4), 16);
          i += 4;
          byte[] utf8 = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
          for (byte x : utf8) {
            b.append((char) (x & 0xFF));
          }
        }
        default -> b.append(e);
      }
    }
    i++;
    return b.toString();
  }
}
