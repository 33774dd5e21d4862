package dev.tpp.proxy.route.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ContentTypesTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "index.html     | text/html; charset=utf-8",
        "site.css       | text/css; charset=utf-8",
        "app.js         | text/javascript; charset=utf-8",
        "data.json      | application/json",
        "readme.txt     | text/plain; charset=utf-8",
        "logo.png       | image/png",
        "photo.jpg      | image/jpeg",
        "PHOTO.JPEG     | image/jpeg",
        "anim.gif       | image/gif",
        "icon.svg       | image/svg+xml",
        "pic.webp       | image/webp",
        "favicon.ico    | image/x-icon",
        "font.woff2     | font/woff2",
        "paper.pdf      | application/pdf",
        "module.wasm    | application/wasm",
        "archive.tar.gz | application/octet-stream",
        "Makefile       | application/octet-stream",
        "trailing.      | application/octet-stream",
        ".bashrc        | application/octet-stream",
      })
  void mapsExtensions(String name, String type) {
    assertEquals(type, ContentTypes.of(name));
  }
}
