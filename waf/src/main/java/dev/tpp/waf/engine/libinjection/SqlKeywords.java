package dev.tpp.waf.engine.libinjection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * libinjection's {@code sql_keywords} table, split in two generated resources: {@code
 * sqli-keywords.txt} (word to type letter: 'E' statement, 'U' union, 'B' group, '&' logic, 'o'
 * operator, 'k' keyword, 'f' function, '1' number, 't' type, 'T' T-SQL, 'A' collate, 'n' bareword,
 * 'v' variable) and {@code sqli-fingerprints.txt} (the blacklist). Loaded once; lookups are
 * allocation-free open-addressing probes, safe from any thread.
 */
final class SqlKeywords {
  private static final Table WORDS = new Table(load("sqli-keywords.txt"), true);
  private static final Table FINGERPRINTS = new Table(load("sqli-fingerprints.txt"), false);

  private SqlKeywords() {}

  /**
   * libinjection's ASCII-only upper-casing (its {@code cstrcasecmp}); other chars stay as they are.
   */
  static char upper(char c) {
    return c >= 'a' && c <= 'z' ? (char) (c - 0x20) : c;
  }

  /**
   * The type of the word {@code s[from, from + len)}, any ASCII case, or 0 when it is not in the
   * table.
   */
  static char type(CharSequence s, int from, int len) {
    return WORDS.get(s, null, from, len);
  }

  /**
   * The type of the word {@code chars[0, len)}, any ASCII case, or 0 when it is not in the table.
   */
  static char type(char[] chars, int len) {
    return WORDS.get(null, chars, 0, len);
  }

  /** Whether the fingerprint (token types, any case) is on libinjection's blacklist. */
  static boolean isBlacklisted(char[] fingerprint, int len) {
    return FINGERPRINTS.get(null, fingerprint, 0, len) != 0;
  }

  private static List<String> load(String name) {
    List<String> lines = new ArrayList<>();
    try (var in = SqlKeywords.class.getResourceAsStream(name);
        var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (!line.isEmpty() && !line.startsWith("#")) {
          lines.add(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read libinjection data " + name, e);
    }
    return lines;
  }

  /**
   * Open addressing over upper-case keys; a key never holds NUL, so input with NUL never matches
   * (as in C).
   */
  private static final class Table {
    private final String[] keys;
    private final char[] types;
    private final int mask;

    Table(List<String> lines, boolean typed) {
      int cap = Integer.highestOneBit(lines.size() * 3) << 1;
      keys = new String[cap];
      types = new char[cap];
      mask = cap - 1;
      for (String line : lines) {
        String key = typed ? line.substring(2) : line;
        int i = hash(key, null, 0, key.length()) & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = key;
        types[i] = typed ? line.charAt(0) : 'F';
      }
    }

    char get(@Nullable CharSequence s, char @Nullable [] chars, int from, int len) {
      for (int i = hash(s, chars, from, len) & mask; keys[i] != null; i = (i + 1) & mask) {
        if (matches(keys[i], s, chars, from, len)) {
          return types[i];
        }
      }
      return 0;
    }

    @SuppressWarnings("NullAway") // exactly one of s and chars is non-null (the two public forms)
    private static boolean matches(
        String key, @Nullable CharSequence s, char @Nullable [] chars, int from, int len) {
      if (key.length() != len) {
        return false;
      }
      for (int i = 0; i < len; i++) {
        if (key.charAt(i) != upper(s != null ? s.charAt(from + i) : chars[from + i])) {
          return false;
        }
      }
      return true;
    }

    @SuppressWarnings("NullAway") // exactly one of s and chars is non-null (the two public forms)
    private static int hash(@Nullable CharSequence s, char @Nullable [] chars, int from, int len) {
      int h = len;
      for (int i = 0; i < len; i++) {
        h = 31 * h + upper(s != null ? s.charAt(from + i) : chars[from + i]);
      }
      return h ^ (h >>> 15);
    }
  }
}
