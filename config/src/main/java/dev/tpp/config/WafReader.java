package dev.tpp.config;

/** Reads the {@code waf:} section and its {@code crs:} block, resolving rule-file patterns and the CRS path. */
final class WafReader {
  private final ConfigReader paths;

  WafReader(ConfigReader paths) {
    this.paths = paths;
  }

  WafConfig waf(YamlNode node) {
    WafConfig d = ConfigDefaults.WAF;
    if (!node.isMapping()) {
      return d;
    }
    WafConfig waf =
        new WafConfig(
            node.get("enabled").bool(d.enabled()),
            node.get("pool").string(d.pool()),
            node.get("mode").enumeration(WafConfig.Mode.class, d.mode()),
            node.get("requestBodyLimit").size(d.requestBodyLimit()),
            node.get("inMemoryBodyLimit").size(d.inMemoryBodyLimit()),
            crs(node.get("crs")),
            ConfigReader.list(node.get("ruleFiles"), file -> paths.path(file, null)),
            node.get("rules").string(d.rules()));
    node.rejectUnknownKeys();
    return waf;
  }

  private WafConfig.Crs crs(YamlNode node) {
    WafConfig.Crs d = ConfigDefaults.CRS;
    if (!node.isMapping()) {
      return d;
    }
    WafConfig.Crs crs =
        new WafConfig.Crs(
            node.get("enabled").bool(d.enabled()),
            paths.path(node.get("path"), d.path()),
            node.get("paranoiaLevel").integer(d.paranoiaLevel()),
            node.get("anomalyThreshold").integer(d.anomalyThreshold()));
    node.rejectUnknownKeys();
    return crs;
  }

}
