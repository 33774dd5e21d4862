package dev.tpp.waf.engine.differential;

import dev.tpp.waf.engine.differential.RequestDraft.Body;
import java.io.IOException;
import java.util.List;
import java.util.Random;

/**
 * The generated part of the differential corpus, deterministic for a seed: benign traffic ({@link
 * BenignTraffic}), attacks ({@link AttackTraffic}) and odd requests that body processors and
 * protocol rules must agree on (broken JSON, XML and multipart, a body under the wrong
 * Content-Type, unusual methods and protocols, many or repeated arguments). Sources are labelled
 * "benign KIND", "attack FAMILY PLACE" and "odd KIND".
 */
final class TrafficGenerator {
  private final Random random;
  private final BenignTraffic benign;
  private final AttackTraffic attack;

  TrafficGenerator(long seed) throws IOException {
    this.random = new Random(seed);
    this.benign = new BenignTraffic(random);
    this.attack = new AttackTraffic(random, benign);
  }

  /** Adds {@code count} requests to {@code corpus}: 45% benign, 45% attacks, 10% odd. */
  void generate(int count, Corpus corpus) {
    String[] kind = new String[1];
    for (int i = 0; i < count; i++) {
      int r = random.nextInt(20);
      RequestDraft d;
      String label;
      if (r < 9) {
        d = benign.next(kind);
        label = "benign " + kind[0];
      } else if (r < 18) {
        d = attack.next(kind);
        label = "attack " + kind[0];
      } else {
        d = odd(kind);
        label = "odd " + kind[0];
      }
      corpus.add(label, d::build);
    }
  }

  private RequestDraft odd(String[] kind) {
    int shape = random.nextInt(8);
    kind[0] =
        List.of(
                "broken-json",
                "broken-xml",
                "broken-multipart",
                "wrong-type",
                "method",
                "protocol",
                "many-args",
                "repeated-args")
            .get(shape);
    RequestDraft d =
        switch (shape) {
          case 0 -> benign.json();
          case 1 -> benign.xml();
          case 2 -> benign.multipart();
          case 3 -> benign.form();
          default -> benign.page();
        };
    switch (shape) {
      case 0 -> d.json.add("\"unterminated\": [1, 2");
      case 1 -> d.xml.add("<open><unclosed>" + benign.value());
      case 2 ->
          d.contentType =
              "multipart/form-data; boundary="
                  + (random.nextBoolean() ? "wrong" : "\"" + Bodies.BOUNDARY);
      case 3 ->
          d.contentType =
              benign.pick(
                  List.of(
                      "application/json",
                      "text/xml",
                      "text/plain",
                      "application/x-www-form-urlencoded; charset=ISO-8859-1",
                      "application/octet-stream"));
      case 4 ->
          d.method =
              benign.pick(
                  List.of("HEAD", "OPTIONS", "DELETE", "PROPFIND", "TRACE", "PATCH", "get"));
      case 5 -> {
        d.protocol = benign.pick(List.of("HTTP/1.0", "HTTP/2.0", "HTTP/1.1"));
        d.header("Connection", "close").header("Range", "bytes=0-" + random.nextInt(100) + ",5-");
      }
      case 6 -> {
        for (int i = 0; i < 40 + random.nextInt(300); i++) {
          d.query.add("a" + i + "=" + random.nextInt(9));
        }
      }
      default -> {
        for (int i = random.nextInt(5) + 2; i > 0; i--) {
          d.query.add("id=" + Bodies.formEncode(benign.value()));
        }
      }
    }
    if (shape == 3 && d.body == Body.NONE) {
      d.body = Body.FORM;
    }
    return d;
  }
}
