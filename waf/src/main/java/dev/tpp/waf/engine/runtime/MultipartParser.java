package dev.tpp.waf.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * multipart/form-data body processor: fields become ARGS_POST, file parts FILES, and the
 * MULTIPART_* error flags that CRS and ModSecurity's recommended rules test are raised the way
 * ModSecurity raises them.
 */
final class MultipartParser {
  static final List<String> FLAGS =
      List.of(
          "MULTIPART_BOUNDARY_QUOTED",
          "MULTIPART_BOUNDARY_WHITESPACE",
          "MULTIPART_DATA_BEFORE",
          "MULTIPART_DATA_AFTER",
          "MULTIPART_HEADER_FOLDING",
          "MULTIPART_LF_LINE",
          "MULTIPART_MISSING_SEMICOLON",
          "MULTIPART_INVALID_QUOTING",
          "MULTIPART_INVALID_PART",
          "MULTIPART_INVALID_HEADER_FOLDING",
          "MULTIPART_FILE_LIMIT_EXCEEDED",
          "MULTIPART_UNMATCHED_BOUNDARY");

  private MultipartParser() {}

  static void parse(String contentType, String body, BodyData out) {
    for (String f : FLAGS) {
      out.multipartFlags.put(f, 0);
    }
    String boundary = MultipartBoundary.of(contentType, out);
    if (boundary == null) {
      out.multipartFlags.put("MULTIPART_STRICT_ERROR", 1);
      return;
    }
    String delimiter = "--" + boundary;
    int first = body.indexOf(delimiter);
    if (first < 0) {
      noBoundary(body, out);
      return;
    }
    if (!body.substring(0, first).isBlank()) {
      out.flag("MULTIPART_DATA_BEFORE");
    }
    int pos = first + delimiter.length();
    boolean finished = false;
    while (pos <= body.length()) {
      if (body.startsWith("--", pos)) {
        finished = true;
        String after = body.substring(pos + 2);
        if (!after.isBlank()) {
          out.flag("MULTIPART_DATA_AFTER");
        }
        break;
      }
      int next = body.indexOf("\n" + delimiter, pos);
      if (next < 0) {
        break;
      }
      int end = next > 0 && body.charAt(next - 1) == '\r' ? next - 1 : next;
      if (!part(skipLineEnd(body, pos, out), end, body, out)) {
        break;
      }
      pos = next + 1 + delimiter.length();
    }
    if (!finished) {
      out.fail("Multipart: final boundary missing");
    }
    if (out.error) {
      // ModSecurity hands the parts to ARGS_POST and FILES only once the whole body parsed without
      // an error
      out.args.clear();
      out.files.clear();
      out.fileSizes.clear();
    }
    if (body.replace(delimiter, "")
        .contains("\n--" + boundary.substring(0, Math.min(boundary.length(), 4)))) {
      out.flag("MULTIPART_UNMATCHED_BOUNDARY");
    }
    strictError(out);
  }

  /**
   * A body without the Content-Type's boundary: all of it is data before the first boundary, a line
   * that starts with "--" is an unmatched boundary, and the final boundary is missing
   * (ModSecurity's flags for it).
   */
  private static void noBoundary(String body, BodyData out) {
    if (!body.isEmpty()) {
      out.flag("MULTIPART_DATA_BEFORE");
    }
    for (String line : body.split("(?<=\n)")) {
      if (line.startsWith("--") && line.length() > 3) {
        out.flag("MULTIPART_UNMATCHED_BOUNDARY");
      }
    }
    out.fail("Multipart: final boundary missing");
    strictError(out);
  }

  private static void strictError(BodyData out) {
    int strict = 0;
    for (String f : FLAGS) {
      if (!f.equals("MULTIPART_UNMATCHED_BOUNDARY")) {
        strict |= Objects.requireNonNull(out.multipartFlags.get(f), f);
      }
    }
    out.multipartFlags.put("MULTIPART_STRICT_ERROR", strict | (out.error ? 1 : 0));
  }

  private static int skipLineEnd(String body, int pos, BodyData out) {
    if (body.startsWith("\r\n", pos)) {
      return pos + 2;
    }
    if (body.startsWith("\n", pos)) {
      out.flag("MULTIPART_LF_LINE");
      return pos + 1;
    }
    return pos;
  }

  /**
   * Reads one part into {@code out}; false after an error that ends the parsing, as in ModSecurity.
   */
  private static boolean part(int start, int end, String body, BodyData out) {
    if (start > end) {
      return true;
    }
    String part = body.substring(start, end);
    int sep = part.indexOf("\r\n\r\n");
    int sepLen = 4;
    if (sep < 0) {
      sep = part.indexOf("\n\n");
      sepLen = 2;
      if (sep >= 0) {
        out.flag("MULTIPART_LF_LINE");
      }
    }
    if (sep < 0) {
      out.flag("MULTIPART_INVALID_PART");
      out.fail("Multipart: part headers not terminated");
      return true;
    }
    String name = null;
    String filename = null;
    String[] lines = part.substring(0, sep).split("\r?\n");
    List<String> headers = new ArrayList<>();
    for (String line : lines) {
      if ((line.startsWith(" ") || line.startsWith("\t")) && !headers.isEmpty()) {
        out.flag("MULTIPART_HEADER_FOLDING");
        headers.set(headers.size() - 1, headers.get(headers.size() - 1) + line.strip());
      } else if (!line.isEmpty()) {
        headers.add(line);
      }
    }
    for (String h : headers) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        out.flag("MULTIPART_INVALID_PART");
        continue;
      }
      if (h.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) {
        ContentDisposition cd = ContentDisposition.parse(h.substring(colon + 1), out);
        if (cd.error() < 0) {
          out.fail("Multipart: Invalid Content-Disposition header (" + cd.error() + ")");
          return false;
        }
        name = cd.name();
        filename = cd.filename();
      }
    }
    if (name == null) {
      out.flag("MULTIPART_INVALID_PART");
      out.fail("Multipart: part without a name");
      return true;
    }
    for (String h : headers) {
      out.partHeaders.add(new KeyValue(name, h));
    }
    String value = part.substring(sep + sepLen);
    out.multipartName = name;
    if (filename != null) {
      out.multipartFilename = filename;
      out.files.add(new KeyValue(name, filename));
      out.fileSizes.add(new KeyValue(name, Integer.toString(value.length())));
    } else {
      out.args.add(new KeyValue(name, value));
    }
    return true;
  }
}
