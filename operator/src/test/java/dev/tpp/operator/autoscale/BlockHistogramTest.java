package dev.tpp.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BlockHistogramTest {
  static String exposition(double w0Fast, double w0Slow, double w1Fast, double w1Slow) {
    return """
        # HELP tpp_event_loop_block_seconds how long ready work waited
        # TYPE tpp_event_loop_block_seconds histogram
        tpp_event_loop_block_seconds_bucket{worker="0",le="0.001"} %s
        tpp_event_loop_block_seconds_bucket{worker="0",le="0.01"} %s
        tpp_event_loop_block_seconds_bucket{worker="0",le="0.1"} %s
        tpp_event_loop_block_seconds_bucket{worker="0",le="+Inf"} %s
        tpp_event_loop_block_seconds_bucket{le="0.001",worker="1"} %s
        tpp_event_loop_block_seconds_bucket{le="0.01",worker="1"} %s
        tpp_event_loop_block_seconds_bucket{le="0.1",worker="1"} %s
        tpp_event_loop_block_seconds_bucket{le="+Inf",worker="1"} %s
        tpp_event_loop_block_seconds_count{worker="0"} 1
        tpp_pool_threads{pool="waf"} 4
        """
        .formatted(
            w0Fast,
            w0Fast,
            w0Fast + w0Slow,
            w0Fast + w0Slow,
            w1Fast,
            w1Fast,
            w1Fast + w1Slow,
            w1Fast + w1Slow);
  }

  @Test
  void sumsWorkersAndInterpolatesLikePromql() {
    var h = BlockHistogram.parse(exposition(50, 0, 49, 1)).orElseThrow();
    assertEquals(100, h.count());
    // rank 99 of 100 is the last fast observation: the top of the first bucket.
    assertEquals(0.001, h.quantile(0.99), 1e-9);
    var slow = BlockHistogram.parse(exposition(40, 10, 40, 10)).orElseThrow();
    // rank 99: 19 of the 20 slow ones, in (0.01, 0.1]
    assertEquals(0.01 + 0.09 * 19 / 20, slow.quantile(0.99), 1e-9);
  }

  @Test
  void windowIsTheDeltaBetweenScrapes() {
    var before = BlockHistogram.parse(exposition(1000, 0, 1000, 0)).orElseThrow();
    var after = BlockHistogram.parse(exposition(1000, 50, 1000, 50)).orElseThrow();
    var window = after.minus(before).orElseThrow();
    assertEquals(100, window.count());
    assertTrue(window.quantile(0.99) > 0.01, "all-time would say 1ms; the window is all slow");
  }

  @Test
  void counterResetGivesNoWindow() {
    var before = BlockHistogram.parse(exposition(1000, 5, 1000, 5)).orElseThrow();
    var restarted = BlockHistogram.parse(exposition(3, 0, 3, 0)).orElseThrow();
    assertTrue(restarted.minus(before).isEmpty());
  }

  @Test
  void noBucketsNoHistogram() {
    assertTrue(BlockHistogram.parse("tpp_pool_threads{pool=\"waf\"} 4\n").isEmpty());
  }

  @Test
  void parsesPoolWaitSummedAcrossPoolsApartFromBlockTime() {
    String text =
        exposition(100, 0, 100, 0)
            + """
        tpp_pool_task_wait_seconds_bucket{pool="waf",le="0.01"} 10
        tpp_pool_task_wait_seconds_bucket{pool="waf",le="+Inf"} 10
        tpp_pool_task_wait_seconds_bucket{pool="thumbs",le="0.01"} 0
        tpp_pool_task_wait_seconds_bucket{pool="thumbs",le="+Inf"} 10
        """;
    var wait = BlockHistogram.parse(text, BlockHistogram.POOL_WAIT).orElseThrow();
    assertEquals(20, wait.count());
    assertEquals(
        0.01,
        wait.quantile(0.99),
        1e-9,
        "half the tasks waited beyond 10 ms: p99 at the top bound");
    assertEquals(
        200, BlockHistogram.parse(text).orElseThrow().count(), "block time unchanged by the pools");
  }
}
