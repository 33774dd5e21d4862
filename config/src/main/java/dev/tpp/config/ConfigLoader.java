package dev.tpp.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Loads a {@code proxy.yaml}: YAML syntax, then every field by hand with its path (types, unknown
 * fields, defaults, relative paths resolved against the file's directory), then {@link
 * ConfigValidator}. All errors are collected and thrown together in one {@link ConfigException}, so
 * {@code --check} prints them all. Blocking (reads files); call it from a startup or reload thread,
 * never an event loop.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** Reads and validates {@code file}; relative paths inside it are relative to its directory. */
  public static ProxyConfig load(Path file) throws ConfigException, IOException {
    String yaml = Files.readString(file, StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().normalize().getParent();
    return parse(yaml, dir == null ? Path.of("").toAbsolutePath() : dir);
  }

  /**
   * Parses and validates {@code yaml}; relative paths inside it are resolved against {@code
   * baseDir}.
   */
  public static ProxyConfig parse(String yaml, Path baseDir) throws ConfigException {
    return parse(yaml, baseDir, true);
  }

  /**
   * Like {@link #parse(String, Path)}; {@code checkFiles} false skips {@link
   * ConfigValidator#validateFiles}, for a caller that validates a config for another machine (the
   * operator: CRS and rule files live in the pods). The result is the same config the proxy will
   * load there, so it has the same {@link ConfigHash}.
   */
  public static ProxyConfig parse(String yaml, Path baseDir, boolean checkFiles)
      throws ConfigException {
    Object tree = tree(yaml, "listen:, routes:");
    List<ConfigError> readErrors = new ArrayList<>();
    YamlNode root = new YamlNode("", tree, readErrors);
    ProxyConfig config = new ConfigReader(baseDir).read(root);
    List<ConfigError> errors = new ArrayList<>(readErrors);
    List<ConfigError> checked = new ArrayList<>(ConfigValidator.validate(config));
    if (checkFiles) {
      checked.addAll(ConfigValidator.validateFiles(config));
    }
    for (ConfigError error : checked) {
      if (readErrors.stream().noneMatch(read -> related(read.path(), error.path()))) {
        errors.add(error);
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return config;
  }

  /**
   * The YAML tree of {@code yaml}: a mapping or null; {@code fields} names a few top-level fields
   * for the error.
   */
  static @Nullable Object tree(String yaml, String fields) throws ConfigException {
    Object tree;
    try {
      tree = newYaml().load(yaml);
    } catch (MarkedYAMLException e) {
      throw new ConfigException(List.of(syntaxError(e)));
    } catch (YAMLException e) {
      throw new ConfigException(List.of(new ConfigError("", "invalid YAML: " + e.getMessage())));
    }
    if (tree != null && !(tree instanceof Map)) {
      String got = tree instanceof List ? "a list" : Durations.quote(String.valueOf(tree));
      throw new ConfigException(
          List.of(
              new ConfigError(
                  "", "the file holds " + got + " (expected: fields such as " + fields + ")")));
    }
    return tree;
  }

  /**
   * A field that could not be read holds its default or a placeholder; checking that value, or the
   * field that encloses it, would only repeat the same problem in other words.
   */
  private static boolean related(String readPath, String checkedPath) {
    return isWithin(checkedPath, readPath) || isWithin(readPath, checkedPath);
  }

  private static boolean isWithin(String path, String ancestor) {
    if (!path.startsWith(ancestor)) {
      return false;
    }
    return path.length() == ancestor.length() || ".[".indexOf(path.charAt(ancestor.length())) >= 0;
  }

  private static Yaml newYaml() {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(20);
    options.setCodePointLimit(4 * 1024 * 1024);
    DumperOptions unused = new DumperOptions();
    return new Yaml(
        new SafeConstructor(options),
        new Representer(unused),
        unused,
        options,
        new PlainScalarResolver());
  }

  /**
   * YAML 1.1 implicit types minus the surprises: only {@code true}/{@code false} are booleans
   * ({@code host: on} or {@code name: no} stay strings) and dates stay strings.
   */
  private static final class PlainScalarResolver extends Resolver {
    @Override
    protected void addImplicitResolvers() {
      addImplicitResolver(
          Tag.BOOL, Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$"), "tTfF");
      addImplicitResolver(Tag.INT, INT, "-+0123456789");
      addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
      addImplicitResolver(Tag.MERGE, MERGE, "<");
      addImplicitResolver(Tag.NULL, NULL, "~nN\0");
      addImplicitResolver(Tag.NULL, EMPTY, null);
      addImplicitResolver(Tag.YAML, YAML, "!&*");
    }
  }

  private static ConfigError syntaxError(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
    String where =
        mark == null
            ? ""
            : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
    return new ConfigError("", "YAML syntax error" + where + ": " + problem + context);
  }
}
