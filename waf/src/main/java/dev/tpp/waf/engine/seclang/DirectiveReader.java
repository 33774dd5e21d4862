package dev.tpp.waf.engine.seclang;

import dev.tpp.waf.engine.WafCompileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Splits SecLang text into directives: joins lines ending in a backslash, skips comments and blank
 * lines, and unquotes arguments the way Apache's config reader does (a backslash before the quote
 * or another backslash is dropped).
 */
final class DirectiveReader {
  private DirectiveReader() {}

  static List<Directive> read(String text, String source, @Nullable Path baseDir)
      throws WafCompileException {
    List<Directive> out = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    StringBuilder logical = new StringBuilder();
    int startLine = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (logical.length() == 0) {
        String t = line.strip();
        if (t.isEmpty() || t.startsWith("#")) {
          continue;
        }
        startLine = i + 1;
      }
      if (line.endsWith("\\") && !line.endsWith("\\\\\\")) {
        logical.append(line, 0, line.length() - 1);
        if (i + 1 < lines.length) {
          continue;
        }
      } else {
        logical.append(line);
      }
      out.add(parse(logical.toString().strip(), source, startLine, baseDir));
      logical.setLength(0);
    }
    return out;
  }

  private static Directive parse(String text, String source, int line, @Nullable Path baseDir)
      throws WafCompileException {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      StringBuilder tok = new StringBuilder();
      if (c == '"' || c == '\'') {
        int j = i + 1;
        boolean closed = false;
        while (j < text.length()) {
          char d = text.charAt(j);
          if (d == '\\'
              && j + 1 < text.length()
              && (text.charAt(j + 1) == c || text.charAt(j + 1) == '\\')) {
            tok.append(text.charAt(j + 1));
            j += 2;
          } else if (d == c) {
            closed = true;
            j++;
            break;
          } else {
            tok.append(d);
            j++;
          }
        }
        if (!closed) {
          throw new WafCompileException(source + ":" + line + ": unterminated quoted argument");
        }
        i = j;
      } else {
        int j = i;
        while (j < text.length() && !Character.isWhitespace(text.charAt(j))) {
          tok.append(text.charAt(j++));
        }
        i = j;
      }
      tokens.add(tok.toString());
    }
    String name = tokens.isEmpty() ? "" : tokens.remove(0);
    return new Directive(name, List.copyOf(tokens), source, line, baseDir);
  }
}
