package dev.tpp.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tpp.config.ConfigException;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.Durations;
import dev.tpp.config.Quantities;
import dev.tpp.crds.ThreadPoolProxySpec;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The CRD's string patterns accept exactly what the proxy's parsers and validator accept, on
 * samples of each kind (names: both come from {@code dev.tpp.config.Limits}; this proves the
 * generated schema carries it).
 */
class SchemaPatternsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "250ms", "20s", "5m", "1h30m", "1.5s", "500us", "0", "", "5", "-1s", "1d", "s", "1m 2s"
      })
  void durationPatternAgreesWithDurations(String text) {
    assertEquals(
        parses(() -> Durations.parse(text)), matches(ThreadPoolProxySpec.DURATION, text), text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"1024", "64Ki", "1Mi", "1.5Mi", "1G", "1e3", "", "-1", "1KB", "Mi", "1 Mi"})
  void quantityPatternAgreesWithQuantities(String text) {
    assertEquals(
        parses(() -> Quantities.parse(text)), matches(ThreadPoolProxySpec.QUANTITY, text), text);
  }

  /** The pool-name pattern of the committed CRD, as the API server reads it. */
  static final String CRD_NAME = crdPoolNamePattern();

  @ParameterizedTest
  @ValueSource(strings = {"waf", "files-2", "a", "0", "Waf", "a.b", "a_b", "-a", "a b", "ä"})
  void namePatternAgreesWithTheProxysValidator(String name) {
    assertEquals(validName(name), matches(CRD_NAME, name), name);
  }

  /** No error on {@code pools[0].name} (other errors of this minimal file do not matter here). */
  private static boolean validName(String name) {
    try {
      ConfigLoader.parse("pools: [{name: \"" + name + "\", threads: 1}]\n", Path.of("."), false);
      return true;
    } catch (ConfigException e) {
      return e.errors().stream().noneMatch(err -> err.path().equals("pools[0].name"));
    }
  }

  private static String crdPoolNamePattern() {
    try {
      var crd =
          new KubernetesSerialization()
              .unmarshal(
                  Files.readString(Path.of("../crds/threadpoolproxies.tpp.dev-v1.yml")),
                  CustomResourceDefinition.class);
      return crd.getSpec()
          .getVersions()
          .get(0)
          .getSchema()
          .getOpenAPIV3Schema()
          .getProperties()
          .get("spec")
          .getProperties()
          .get("pools")
          .getItems()
          .getSchema()
          .getProperties()
          .get("name")
          .getPattern();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static boolean matches(String regex, String text) {
    return Pattern.compile(regex).matcher(text).find();
  }

  static boolean parses(Runnable parse) {
    try {
      parse.run();
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
