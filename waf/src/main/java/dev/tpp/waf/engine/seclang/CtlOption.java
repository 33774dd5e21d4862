package dev.tpp.waf.engine.seclang;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The {@code ctl} registry: every option ModSecurity v3 documents, resolved when the rule is
 * parsed. An unknown option fails the build with {@code FILE:LINE: unknown ctl option 'NAME'}; at
 * run time the engine switches on the constant. Options marked {@link #applies()} false are
 * accepted and have no effect (audit log, body limits, message-based removal, hashing): this engine
 * has none of what they tune. Immutable; read by any thread.
 */
public enum CtlOption {
  RULE_ENGINE("ruleEngine", true),
  RULE_REMOVE_BY_ID("ruleRemoveById", true),
  RULE_REMOVE_BY_TAG("ruleRemoveByTag", true),
  RULE_REMOVE_TARGET_BY_ID("ruleRemoveTargetById", true),
  RULE_REMOVE_TARGET_BY_TAG("ruleRemoveTargetByTag", true),
  REQUEST_BODY_PROCESSOR("requestBodyProcessor", true),
  REQUEST_BODY_ACCESS("requestBodyAccess", true),
  FORCE_REQUEST_BODY_VARIABLE("forceRequestBodyVariable", true),
  RULE_REMOVE_BY_MSG("ruleRemoveByMsg", false),
  RULE_REMOVE_TARGET_BY_MSG("ruleRemoveTargetByMsg", false),
  AUDIT_ENGINE("auditEngine", false),
  AUDIT_LOG_PARTS("auditLogParts", false),
  DEBUG_LOG_LEVEL("debugLogLevel", false),
  REQUEST_BODY_LIMIT("requestBodyLimit", false),
  RESPONSE_BODY_ACCESS("responseBodyAccess", true),
  RESPONSE_BODY_LIMIT("responseBodyLimit", false),
  HASH_ENGINE("hashEngine", false),
  HASH_ENFORCEMENT("hashEnforcement", false),
  PARSE_XML_INTO_ARGS("parseXmlIntoArgs", false);

  private static final Map<String, CtlOption> BY_NAME = new HashMap<>();

  static {
    for (CtlOption o : values()) {
      BY_NAME.put(o.seclangName.toLowerCase(Locale.ROOT), o);
    }
  }

  private final String seclangName;
  private final boolean applies;

  CtlOption(String seclangName, boolean applies) {
    this.seclangName = seclangName;
    this.applies = applies;
  }

  /**
   * The option named {@code name} (case-insensitive, as ModSecurity reads it), or null when there
   * is none.
   */
  public static @Nullable CtlOption byName(String name) {
    return BY_NAME.get(name.toLowerCase(Locale.ROOT));
  }

  /**
   * Whether the engine acts on this option; the others are accepted for compatibility and do
   * nothing.
   */
  public boolean applies() {
    return applies;
  }

  @Override
  public String toString() {
    return seclangName;
  }
}
