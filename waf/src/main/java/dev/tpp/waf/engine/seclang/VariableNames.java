package dev.tpp.waf.engine.seclang;

import java.util.Set;

/** The SecLang variable names the parser accepts (a typo in a target list fails the build instead of matching nothing). */
final class VariableNames {
  private static final Set<String> KNOWN = Set.of("ARGS", "ARGS_GET", "ARGS_POST", "ARGS_NAMES", "ARGS_GET_NAMES",
      "ARGS_POST_NAMES", "ARGS_COMBINED_SIZE", "REQUEST_URI", "REQUEST_URI_RAW", "REQUEST_FILENAME",
      "REQUEST_BASENAME", "REQUEST_LINE", "REQUEST_METHOD", "REQUEST_PROTOCOL", "QUERY_STRING", "REQUEST_HEADERS",
      "REQUEST_HEADERS_NAMES", "REQUEST_COOKIES", "REQUEST_COOKIES_NAMES", "REQUEST_BODY", "REQUEST_BODY_LENGTH",
      "REQBODY_ERROR", "REQBODY_ERROR_MSG", "REQBODY_PROCESSOR", "REQBODY_PROCESSOR_ERROR",
      "REQBODY_PROCESSOR_ERROR_MSG", "FILES", "FILES_NAMES", "FILES_SIZES", "FILES_COMBINED_SIZE", "FILES_TMPNAMES",
      "FILES_TMP_CONTENT", "XML", "TX", "IP", "GLOBAL", "SESSION", "USER", "RESOURCE", "MATCHED_VAR",
      "MATCHED_VARS", "MATCHED_VAR_NAME", "MATCHED_VARS_NAMES", "REMOTE_ADDR", "REMOTE_HOST", "REMOTE_PORT",
      "REMOTE_USER", "SERVER_ADDR", "SERVER_NAME", "SERVER_PORT", "UNIQUE_ID", "DURATION", "RULE", "ENV", "GEO",
      "AUTH_TYPE", "PATH_INFO", "FULL_REQUEST", "FULL_REQUEST_LENGTH", "HIGHEST_SEVERITY", "INBOUND_DATA_ERROR",
      "OUTBOUND_DATA_ERROR", "URLENCODED_ERROR", "USERID", "SESSIONID", "WEBAPPID", "WEBSERVER_ERROR_LOG",
      "STATUS_LINE", "MODSEC_BUILD", "USERAGENT_IP", "STREAM_INPUT_BODY", "STREAM_OUTPUT_BODY", "SDBM_DELETE_ERROR");

  private VariableNames() {}

  static boolean known(String name) {
    return KNOWN.contains(name) || name.startsWith("TIME") || name.startsWith("MULTIPART_")
        || name.startsWith("RESPONSE_") || name.startsWith("ARGS_");
  }
}
