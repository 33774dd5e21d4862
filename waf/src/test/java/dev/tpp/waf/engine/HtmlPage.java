package dev.tpp.waf.engine;

import java.nio.charset.StandardCharsets;

/**
 * The bench's benign HTML page (a shop's catalogue: head, navigation, product cards, footer) of
 * exactly {@code size} bytes: the same bytes as {@code bench/waf.sh}'s {@code waf_page}, which the
 * bench's {@code html64k} case proxies with response body inspection on.
 */
final class HtmlPage {
  private static final String[] WORDS =
      ("comfortable lightweight running shoe with breathable mesh upper cushioned midsole and"
              + " durable rubber outsole designed for daily training long distance races and casual"
              + " wear in all seasons")
          .split(" ");

  private HtmlPage() {}

  static byte[] of(int size) {
    StringBuilder head =
        new StringBuilder(
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                + "<title>Running shoes | Example Shop</title>\n"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                + "<link rel=\"stylesheet\" href=\"/static/css/site.css\">\n"
                + "<script src=\"/static/js/site.js\" defer></script>\n"
                + "</head>\n<body>\n<header class=\"site-header\"><nav><ul>\n");
    for (String c : new String[] {"shoes", "clothing", "accessories", "sale", "brands", "new"}) {
      String title = Character.toUpperCase(c.charAt(0)) + c.substring(1);
      head.append("<li><a href=\"/catalogue/").append(c).append("\">").append(title);
      head.append("</a></li>\n");
    }
    head.append("</ul></nav></header>\n<main class=\"catalogue\">\n<h1>Running shoes</h1>\n");
    String tail =
        "</main>\n<footer class=\"site-footer\"><p>Example Shop Ltd, 1 High Street, London</p>"
            + "</footer>\n</body>\n</html>\n";
    StringBuilder body = new StringBuilder(head);
    int length = head.length() + tail.length();
    for (int i = 0; length < size; i++) {
      String card = card(i);
      body.append(card);
      length += card.length();
    }
    String cut = body.substring(0, size - tail.length() - 1);
    cut = cut.substring(0, cut.lastIndexOf("</article>\n") + "</article>\n".length());
    String page = cut + " ".repeat(size - tail.length() - cut.length()) + tail;
    return page.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String card(int i) {
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < 20; k++) {
      text.append(k == 0 ? "" : " ").append(WORDS[(i + k) % WORDS.length]);
    }
    String capitalized = Character.toUpperCase(text.charAt(0)) + text.substring(1); // all lower
    return String.format(
        "<article class=\"product\" data-id=\"%d\">\n<a href=\"/product/%d\"><img"
            + " src=\"/img/p%d.jpg\" alt=\"Shoe %d\" width=\"300\" height=\"200\"></a>\n"
            + "<h2>Trail Runner %d</h2>\n<p class=\"price\">&pound;%d.99</p>\n<p>%s.</p>\n"
            + "<button type=\"button\" class=\"add-to-cart\">Add to basket</button>\n</article>\n",
        i, i, i % 40, i, i, 40 + i % 60, capitalized);
  }
}
