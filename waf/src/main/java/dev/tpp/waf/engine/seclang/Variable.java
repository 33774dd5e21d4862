package dev.tpp.waf.engine.seclang;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The variable registry: every SecLang variable the parser accepts, resolved once when a rule's
 * targets (or a macro) are parsed. A name not here fails the build with {@code FILE:LINE: unknown
 * variable 'NAME'}; at run time the engine switches on the constant, never on its name. Immutable;
 * read by any thread.
 *
 * <p>The constants are named exactly as ModSecurity v3 documents them. Those the engine has nothing
 * to fill with (marked "empty") are accepted and yield no value, as they did before the registry;
 * the MULTIPART_* flags and INBOUND_DATA_ERROR / URLENCODED_ERROR yield "0" unless the body
 * processor set them.
 */
public enum Variable {
  ARGS,
  ARGS_GET,
  ARGS_POST,
  ARGS_NAMES,
  ARGS_GET_NAMES,
  ARGS_POST_NAMES,
  ARGS_COMBINED_SIZE,
  REQUEST_URI,
  REQUEST_URI_RAW,
  REQUEST_FILENAME,
  REQUEST_BASENAME,
  REQUEST_LINE,
  REQUEST_METHOD,
  REQUEST_PROTOCOL,
  QUERY_STRING,
  REQUEST_HEADERS,
  REQUEST_HEADERS_NAMES,
  REQUEST_COOKIES,
  REQUEST_COOKIES_NAMES,
  REQUEST_BODY,
  REQUEST_BODY_LENGTH,
  REQBODY_ERROR,
  REQBODY_ERROR_MSG,
  REQBODY_PROCESSOR,
  REQBODY_PROCESSOR_ERROR,
  REQBODY_PROCESSOR_ERROR_MSG,
  FILES,
  FILES_NAMES,
  FILES_SIZES,
  FILES_COMBINED_SIZE,
  FILES_TMPNAMES,
  FILES_TMP_CONTENT,
  MULTIPART_PART_HEADERS,
  MULTIPART_FILENAME,
  MULTIPART_NAME,
  MULTIPART_STRICT_ERROR,
  MULTIPART_UNMATCHED_BOUNDARY,
  MULTIPART_BOUNDARY_QUOTED,
  MULTIPART_BOUNDARY_WHITESPACE,
  MULTIPART_DATA_BEFORE,
  MULTIPART_DATA_AFTER,
  MULTIPART_HEADER_FOLDING,
  MULTIPART_LF_LINE,
  MULTIPART_CRLF_LF_LINES,
  MULTIPART_MISSING_SEMICOLON,
  MULTIPART_SEMICOLON_MISSING,
  MULTIPART_INVALID_QUOTING,
  MULTIPART_INVALID_PART,
  MULTIPART_INVALID_HEADER_FOLDING,
  MULTIPART_FILE_LIMIT_EXCEEDED,
  XML,
  TX(true),
  IP(true),
  GLOBAL(true),
  SESSION(true),
  USER(true),
  RESOURCE(true),
  MATCHED_VAR,
  MATCHED_VARS,
  MATCHED_VAR_NAME,
  MATCHED_VARS_NAMES,
  RULE,
  REMOTE_ADDR,
  REMOTE_HOST,
  REMOTE_PORT,
  SERVER_ADDR,
  SERVER_NAME,
  SERVER_PORT,
  UNIQUE_ID,
  DURATION,
  TIME,
  TIME_EPOCH,
  TIME_YEAR,
  TIME_MON,
  TIME_DAY,
  TIME_HOUR,
  TIME_MIN,
  TIME_SEC,
  TIME_WDAY,
  RESPONSE_STATUS,
  RESPONSE_PROTOCOL,
  RESPONSE_HEADERS,
  RESPONSE_HEADERS_NAMES,
  RESPONSE_CONTENT_TYPE,
  RESPONSE_CONTENT_LENGTH,
  RESPONSE_BODY,
  // "0": no data errors are detected beyond the body processor's own (REQBODY_ERROR)
  INBOUND_DATA_ERROR,
  URLENCODED_ERROR,
  // empty: no environment, no GeoIP database, no user/session/webapp ids, no server-side log or
  // build info
  ENV,
  GEO,
  AUTH_TYPE,
  PATH_INFO,
  REMOTE_USER,
  FULL_REQUEST,
  FULL_REQUEST_LENGTH,
  HIGHEST_SEVERITY,
  OUTBOUND_DATA_ERROR,
  USERID,
  SESSIONID,
  WEBAPPID,
  WEBSERVER_ERROR_LOG,
  STATUS_LINE,
  MODSEC_BUILD,
  USERAGENT_IP,
  STREAM_INPUT_BODY,
  STREAM_OUTPUT_BODY,
  SDBM_DELETE_ERROR,
  MSC_PCRE_LIMITS_EXCEEDED;

  private static final Map<String, Variable> BY_NAME = new HashMap<>();

  static {
    for (Variable v : values()) {
      BY_NAME.put(v.name(), v);
      BY_NAME.put(v.name().toLowerCase(Locale.ROOT), v); // macros are mostly written %{tx.name}
    }
  }

  private final boolean store;

  Variable() {
    this(false);
  }

  Variable(boolean store) {
    this.store = store;
  }

  /** The variable named {@code name} (any case), or null when there is none. */
  public static @Nullable Variable byName(String name) {
    Variable v = BY_NAME.get(name);
    return v != null ? v : BY_NAME.get(name.toUpperCase(Locale.ROOT));
  }

  /**
   * Whether this is one of the six key/value stores setvar writes (TX, IP, GLOBAL, SESSION, USER,
   * RESOURCE).
   */
  public boolean isStore() {
    return store;
  }
}
