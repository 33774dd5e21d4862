package dev.tpp.proxy.waf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.proxy.testing.Await;
import dev.tpp.proxy.testing.RawClient;
import dev.tpp.proxy.testing.TestProxy;
import org.junit.jupiter.api.Test;

/**
 * A worker spools at most {@code http.spoolFilesPerWorker} request bodies at once; the next upload
 * gets 503.
 */
class SpoolBudgetIT {

  @Test
  void refusesAnUploadWhileTheWorkersSpoolFilesAreInUseAndTakesItAfter() throws Exception {
    try (TestProxy proxy =
        TestProxy.start(
            """
        workers: 1
        http: {spoolFilesPerWorker: 1, bodyTimeout: 30s}
        pools: [{name: waf, threads: 1, maxQueue: 8, overflow: reject}]
        waf: {enabled: true, pool: waf, inMemoryBodyLimit: 1Ki, requestBodyLimit: 1Mi}
        routes: [{path: /, return: {status: 200, body: "ok\\n"}}]
        """)) {
      byte[] body = new byte[4096];
      try (RawClient slow = new RawClient(proxy.port())) {
        slow.send(
            "POST /slow HTTP/1.1\r\nHost: a\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(4096));
        // The slow upload has spooled past 1Ki and holds the worker's one spool file.
        Await.until(
            "a second upload is refused", () -> proxy.post("/second", body).statusCode() == 503);
        assertEquals(
            "1", proxy.post("/second", body).headers().firstValue("retry-after").orElseThrow());
      }
      // The slow client left: its request ended and gave its file back.
      Await.until("uploads are taken again", () -> proxy.post("/third", body).statusCode() == 200);
    }
  }
}
