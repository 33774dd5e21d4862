package dev.tpp.config;

/**
 * Reads the {@code waf:} section and its {@code crs:} block, resolving rule-file patterns and the
 * CRS path.
 */
final class WafReader {
  private final ConfigReader paths;

  WafReader(ConfigReader paths) {
    this.paths = paths;
  }

  WafConfig waf(YamlNode node) {
    WafConfig d = ConfigDefaults.WAF;
    return node.mapping(
        d,
        n ->
            new WafConfig(
                n.get("enabled").bool(d.enabled()),
                n.get("pool").string(d.pool()),
                n.get("mode").enumeration(WafConfig.Mode.class, d.mode()),
                n.get("requestBodyLimit").size(d.requestBodyLimit()),
                n.get("inMemoryBodyLimit").size(d.inMemoryBodyLimit()),
                crs(n.get("crs")),
                ConfigReader.list(n.get("ruleFiles"), file -> paths.path(file, null)),
                n.get("rules").string(d.rules())));
  }

  @SuppressWarnings("NullAway") // path(node, otherwise) is null only when otherwise is
  private WafConfig.Crs crs(YamlNode node) {
    WafConfig.Crs d = ConfigDefaults.CRS;
    return node.mapping(
        d,
        n ->
            new WafConfig.Crs(
                n.get("enabled").bool(d.enabled()),
                paths.path(n.get("path"), d.path()),
                n.get("paranoiaLevel").integer(d.paranoiaLevel()),
                n.get("anomalyThreshold").integer(d.anomalyThreshold())));
  }
}
