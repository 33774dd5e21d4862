package dev.tpp.proxy.http.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of {@code requests.tsv}: a raw request, the statuses the proxy must answer in order
 * ({@code c} after the last: and then close), how many whole requests the origin may receive, and
 * the target it must receive ({@code -}: any). The same file drives {@code
 * scripts/corpus-vs-nginx.py}.
 */
record CorpusCase(
    String name,
    List<Integer> statuses,
    boolean closes,
    int originRequests,
    String originTarget,
    byte[] raw) {
  private static final Pattern REPEAT = Pattern.compile("\\{\\{(.*?)\\*(\\d+)}}");

  static List<CorpusCase> load() throws IOException {
    List<CorpusCase> cases = new ArrayList<>();
    try (InputStream in = CorpusCase.class.getResourceAsStream("requests.tsv")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", -1);
        String expect = f[1];
        boolean closes = expect.endsWith("c");
        List<Integer> statuses = new ArrayList<>();
        for (String s : (closes ? expect.substring(0, expect.length() - 1) : expect).split(",")) {
          statuses.add(Integer.parseInt(s));
        }
        cases.add(
            new CorpusCase(f[0], statuses, closes, Integer.parseInt(f[2]), f[3], unescape(f[4])));
      }
    }
    return cases;
  }

  /** {@code \r \n \t \\ \xHH} escapes, then {@code {{TEXT*N}}} repeats; bytes as ISO-8859-1. */
  static byte[] unescape(String text) {
    Matcher m = REPEAT.matcher(text);
    StringBuilder expanded = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          expanded, Matcher.quoteReplacement(m.group(1).repeat(Integer.parseInt(m.group(2)))));
    }
    m.appendTail(expanded);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < expanded.length(); i++) {
      char c = expanded.charAt(i);
      if (c != '\\' || i + 1 == expanded.length()) {
        out.append(c);
        continue;
      }
      char e = expanded.charAt(++i);
      switch (e) {
        case 'r' -> out.append('\r');
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'x' -> {
          out.append((char) Integer.parseInt(expanded.substring(i + 1, i + 3), 16));
          i += 2;
        }
        default -> out.append(e);
      }
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }
}
