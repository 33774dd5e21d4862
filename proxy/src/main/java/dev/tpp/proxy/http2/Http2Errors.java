package dev.tpp.proxy.http2;

import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import java.util.Locale;

/**
 * Bounded label values for HTTP/2 errors: RFC 9113 error-code names, and which limit a connection
 * broke.
 */
final class Http2Errors {
  private Http2Errors() {}

  static String name(long code) {
    Http2Error error = Http2Error.valueOf(code);
    return error == null ? "unknown" : error.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Which configured limit (or rule) {@code e} enforces, from Netty's messages; {@code protocol}
   * otherwise.
   */
  static String reason(Http2Exception e) {
    String m = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (m.contains("rst frames")) {
      return "rapid_reset";
    }
    if (m.contains("continuation")) {
      return "continuation_flood";
    }
    if (m.contains("empty data frames")) {
      return "empty_frames";
    }
    if (m.contains("control frames")) {
      return "control_frame_flood";
    }
    if (m.contains("header") && (m.contains("size") || m.contains("exceeded"))) {
      return "header_list_size";
    }
    if (e.error() == Http2Error.FRAME_SIZE_ERROR) {
      return "frame_size";
    }
    if (e.error() == Http2Error.FLOW_CONTROL_ERROR) {
      return "flow_control";
    }
    if (e.error() == Http2Error.COMPRESSION_ERROR) {
      return "hpack";
    }
    return "protocol";
  }
}
