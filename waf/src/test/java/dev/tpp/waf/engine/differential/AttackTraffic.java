package dev.tpp.waf.engine.differential;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Attack payloads ({@code payloads.txt} beside this class, by family) placed into one part of an
 * otherwise benign request (query value or name, path, cookie, header, form, multipart field or
 * file name, JSON value or key, XML text or attribute), each in one of {@link Encodings}'
 * disguises. Draws from the caller's seeded {@link Random}.
 */
final class AttackTraffic {
  /** One payload and its family ("sqli", "xss", ...). */
  record Payload(String family, String text) {}

  private final Random random;
  private final BenignTraffic benign;
  private final List<Payload> payloads;

  AttackTraffic(Random random, BenignTraffic benign) throws IOException {
    this.random = random;
    this.benign = benign;
    this.payloads = load();
  }

  /** An attack request; {@code kind} receives "FAMILY PLACE" for the figures. */
  RequestDraft next(String[] kind) {
    Payload p = payloads.get(random.nextInt(payloads.size()));
    int place = random.nextInt(13);
    RequestDraft d =
        switch (place) {
          case 0, 1, 2, 3 -> benign.page();
          case 4, 5 -> benign.form();
          case 6, 7 -> benign.multipart();
          case 8, 9 -> benign.json();
          case 10 -> benign.xml();
          default -> benign.browser("/");
        };
    kind[0] = p.family() + " " + place(d, place, p.text());
    return d;
  }

  private String place(RequestDraft d, int place, String payload) {
    String name = benign.pick(List.of("q", "id", "search", "redirect", "file", "cmd", "name"));
    switch (place) {
      case 0, 1 -> d.query.add(name + "=" + Encodings.url(random, payload));
      case 2 -> d.query.add(Encodings.url(random, payload) + "=" + benign.value());
      case 3 -> d.path = d.path + "/" + Encodings.minimal(payload).replace("?", "%3F");
      case 4 -> d.form.add(name + "=" + Encodings.url(random, payload));
      case 5 -> d.form.add(0, Encodings.url(random, payload) + "=1");
      case 6 -> d.parts.add(0, new Bodies.Part(name, null, null, Encodings.text(random, payload)));
      case 7 ->
          d.parts.add(
              new Bodies.Part("upload", payload.replace("\"", "'") + ".txt", "text/plain", "x"));
      case 8 ->
          d.json.add(
              Bodies.jsonString(name) + ": " + Bodies.jsonString(Encodings.text(random, payload)));
      case 9 -> d.json.add(Bodies.jsonString(Encodings.text(random, payload)) + ": 1");
      case 10 ->
          d.xml.add(
              random.nextBoolean()
                  ? "<note>" + Bodies.xmlText(Encodings.text(random, payload)) + "</note>"
                  : "<note ref=\"" + Bodies.xmlText(payload) + "\">x</note>");
      case 11 -> d.cookies.add(name + "=" + Encodings.text(random, payload).replace(";", "%3B"));
      default ->
          d.header(
              benign.pick(List.of("User-Agent", "Referer", "X-Forwarded-For", "X-Api-Version")),
              Encodings.text(random, payload).replace("\n", " ").replace("\r", " "));
    }
    return List.of(
            "query",
            "query",
            "arg-name",
            "path",
            "form",
            "form-name",
            "multipart",
            "filename",
            "json",
            "json-key",
            "xml",
            "cookie",
            "header")
        .get(place);
  }

  private static List<Payload> load() throws IOException {
    List<Payload> out = new ArrayList<>();
    try (InputStream in = AttackTraffic.class.getResourceAsStream("payloads.txt")) {
      if (in == null) {
        throw new IOException("missing test resource payloads.txt");
      }
      String family = "generic";
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("## ")) {
          family = line.substring(3).strip();
        } else if (!line.isEmpty() && !line.startsWith("#")) {
          out.add(new Payload(family, unescape(line)));
        }
      }
    }
    return out;
  }

  private static String unescape(String line) {
    return Bodies.utf8(line.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t"));
  }
}
