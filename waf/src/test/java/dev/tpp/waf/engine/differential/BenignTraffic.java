package dev.tpp.waf.engine.differential;

import dev.tpp.waf.engine.differential.RequestDraft.Body;
import java.util.List;
import java.util.Random;

/**
 * Benign browser and API traffic, drawn from a caller's seeded {@link Random}: page and asset GETs
 * with browser headers and cookies, urlencoded and multipart form posts (with file uploads), JSON
 * and XML API calls. Values are the everyday kind that still reach WAF rules: apostrophes,
 * punctuation, e-mail addresses, URLs, UTF-8 text.
 */
final class BenignTraffic {
  private static final List<String> BROWSERS =
      List.of(
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
          "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148");
  private static final List<String> CLIENTS =
      List.of(
          "curl/8.5.0",
          "okhttp/4.12.0",
          "python-requests/2.32.3",
          "Go-http-client/1.1",
          "axios/1.7.7");
  private static final List<String> WORDS =
      List.of(
          "shoes",
          "red",
          "garden",
          "chair",
          "laptop",
          "coffee",
          "blue",
          "summer",
          "book",
          "travel",
          "music",
          "kitchen",
          "report",
          "invoice",
          "select",
          "update",
          "order",
          "union",
          "script",
          "table",
          "from",
          "where",
          "and",
          "or",
          "alert",
          "document",
          "window",
          "exec",
          "system",
          "passwd");
  private static final List<String> PAGES =
      List.of(
          "/",
          "/index.html",
          "/products",
          "/products/42",
          "/search",
          "/account/settings",
          "/blog/2024/11/hello-world",
          "/cart",
          "/api/v1/items",
          "/docs/getting-started");
  private static final List<String> ASSETS =
      List.of(
          "/static/app.3f9a1c.js",
          "/static/site.css",
          "/img/logo.png",
          "/favicon.ico",
          "/fonts/inter.woff2",
          "/downloads/report-2024.pdf");

  private final Random random;

  BenignTraffic(Random random) {
    this.random = random;
  }

  /** A benign request of one of seven shapes; {@code kind} names the shape for the figures. */
  RequestDraft next(String[] kind) {
    int shape = random.nextInt(10);
    kind[0] =
        switch (shape) {
          case 0, 1, 2 -> "page";
          case 3 -> "asset";
          case 4, 5 -> "form";
          case 6 -> "multipart";
          case 7, 8 -> "json";
          default -> "xml";
        };
    return switch (kind[0]) {
      case "page" -> page();
      case "asset" -> browser(pick(ASSETS));
      case "form" -> form();
      case "multipart" -> multipart();
      case "json" -> json();
      default -> xml();
    };
  }

  RequestDraft browser(String path) {
    RequestDraft d = new RequestDraft();
    d.path = path;
    d.header("Host", "shop.example.com")
        .header("User-Agent", pick(BROWSERS))
        .header(
            "Accept",
            "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8")
        .header(
            "Accept-Language", pick(List.of("en-US,en;q=0.9", "de-DE,de;q=0.8,en;q=0.5", "fr-FR")))
        .header("Accept-Encoding", "gzip, deflate, br");
    if (random.nextBoolean()) {
      d.header("Referer", "https://shop.example.com" + pick(PAGES));
    }
    if (random.nextInt(3) > 0) {
      d.cookies.add("session=" + token(32));
      if (random.nextBoolean()) {
        d.cookies.add("theme=" + pick(List.of("dark", "light")));
      }
      if (random.nextBoolean()) {
        d.cookies.add("_ga=GA1.2." + random.nextInt(1_000_000_000) + ".1700000000");
      }
    }
    if (random.nextBoolean()) {
      d.header("Sec-Fetch-Mode", "navigate").header("Upgrade-Insecure-Requests", "1");
    }
    return d;
  }

  RequestDraft page() {
    RequestDraft d = browser(pick(PAGES));
    for (int i = random.nextInt(6); i > 0; i--) {
      d.query.add(pick(WORDS) + "=" + Bodies.formEncode(value()));
    }
    return d;
  }

  RequestDraft form() {
    RequestDraft d = browser(pick(List.of("/login", "/comment", "/checkout", "/contact")));
    d.method = "POST";
    d.body = Body.FORM;
    for (int i = 1 + random.nextInt(6); i > 0; i--) {
      d.form.add(pick(WORDS) + "=" + Bodies.formEncode(value()));
    }
    return d;
  }

  RequestDraft multipart() {
    RequestDraft d = browser("/upload");
    d.method = "POST";
    d.body = Body.MULTIPART;
    d.parts.add(new Bodies.Part("title", null, null, value()));
    if (random.nextBoolean()) {
      d.parts.add(new Bodies.Part("description", null, null, value() + " " + value()));
    }
    String file = pick(List.of("photo.jpg", "notes.txt", "report 2024.pdf", "data.csv"));
    String content =
        file.endsWith(".txt") || file.endsWith(".csv")
            ? value() + "\n" + value() + "\n"
            : binary(64);
    d.parts.add(
        new Bodies.Part(
            "file", file, pick(List.of("image/jpeg", "text/plain", "application/pdf")), content));
    return d;
  }

  RequestDraft api(String path) {
    RequestDraft d = new RequestDraft();
    d.method = pick(List.of("POST", "PUT", "PATCH"));
    d.path = path;
    d.header("Host", "api.example.com")
        .header("User-Agent", pick(CLIENTS))
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + token(40));
    return d;
  }

  RequestDraft json() {
    RequestDraft d = api("/api/v2/" + pick(List.of("orders", "users/17", "items", "search")));
    d.body = Body.JSON;
    for (int i = 1 + random.nextInt(5); i > 0; i--) {
      String key = Bodies.jsonString(pick(WORDS));
      d.json.add(
          key
              + ": "
              + switch (random.nextInt(5)) {
                case 0 -> Integer.toString(random.nextInt(10_000));
                case 1 -> random.nextBoolean() ? "true" : "null";
                case 2 -> "[" + Bodies.jsonString(value()) + ", " + random.nextInt(99) + "]";
                case 3 ->
                    "{\"name\": " + Bodies.jsonString(value()) + ", \"tags\": [\"a\", \"b\"]}";
                default -> Bodies.jsonString(value());
              });
    }
    return d;
  }

  RequestDraft xml() {
    RequestDraft d = api("/soap/" + pick(List.of("OrderService", "Inventory")));
    d.body = Body.XML;
    d.contentType =
        pick(List.of("application/xml", "text/xml; charset=utf-8", "application/soap+xml"));
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      String name = pick(WORDS);
      d.xml.add(
          "<"
              + name
              + " id=\""
              + random.nextInt(999)
              + "\">"
              + Bodies.xmlText(value())
              + "</"
              + name
              + ">");
    }
    return d;
  }

  /**
   * An everyday value: a word, a number, an address, a sentence with an apostrophe, UTF-8 text...
   */
  String value() {
    return switch (random.nextInt(10)) {
      case 0 -> pick(WORDS);
      case 1 -> Integer.toString(random.nextInt(100_000));
      case 2 -> pick(WORDS) + "." + pick(WORDS) + "@example.com";
      case 3 -> "It's a " + pick(WORDS) + ", isn't it? (" + random.nextInt(10) + "/10)";
      case 4 -> "https://www.example.org/" + pick(WORDS) + "?ref=" + pick(WORDS);
      case 5 ->
          Bodies.utf8(
              pick(
                  List.of(
                      "Caf\u00e9 cr\u00e8me",
                      "Stra\u00dfe 5",
                      "\u6771\u4eac",
                      "na\u00efve r\u00e9sum\u00e9")));
      case 6 -> "2024-" + (1 + random.nextInt(12)) + "-" + (1 + random.nextInt(28)) + "T10:00:00Z";
      case 7 -> pick(WORDS) + " " + pick(WORDS) + " " + pick(WORDS);
      case 8 -> "$" + random.nextInt(500) + ".99 - 20% off & free shipping; limited #deal";
      default -> token(12);
    };
  }

  String token(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  private String binary(int length) {
    StringBuilder b = new StringBuilder("\u00ff\u00d8\u00ff\u00e0");
    for (int i = 0; i < length; i++) {
      b.append((char) random.nextInt(256));
    }
    return b.toString();
  }

  <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }
}
