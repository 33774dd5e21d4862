package dev.tpp.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tpp.config.ConfigHash;
import dev.tpp.config.ConfigLoader;
import dev.tpp.config.ProxyConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressOverrideTest {
  static final String YAML =
      """
      listen: {address: 0.0.0.0, port: 8080}
      admin: {address: 0.0.0.0, port: 9090}
      routes: [{path: /, return: {status: 200, body: ok}}]
      """;

  @Test
  void replacesAddressesKeepsPortsAndLeavesTheWrittenConfigAlone() throws Exception {
    ProxyConfig written = ConfigLoader.parse(YAML, Path.of("."));
    String hash = ConfigHash.of(written);
    ProxyConfig bound =
        AddressOverride.fromEnvironment(
                Map.of("TPP_LISTEN_ADDRESS", "127.0.0.2", "TPP_ADMIN_ADDRESS", " ::1 "))
            .apply(written);
    assertEquals("127.0.0.2", bound.listen().address());
    assertEquals(8080, bound.listen().port());
    assertEquals("::1", bound.admin().address());
    assertEquals(9090, bound.admin().port());
    assertEquals(written.routes(), bound.routes());
    assertEquals(hash, ConfigHash.of(written));
  }

  @Test
  void eachVariableApartAndNoneAtAll() throws Exception {
    ProxyConfig written = ConfigLoader.parse(YAML, Path.of("."));
    ProxyConfig adminOnly =
        AddressOverride.fromEnvironment(Map.of("TPP_ADMIN_ADDRESS", "127.0.0.3")).apply(written);
    assertEquals("0.0.0.0", adminOnly.listen().address());
    assertEquals("127.0.0.3", adminOnly.admin().address());
    assertSame(written, AddressOverride.fromEnvironment(Map.of("PATH", "/bin")).apply(written));
  }

  @Test
  void namesEveryBadVariable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AddressOverride.fromEnvironment(
                    Map.of("TPP_LISTEN_ADDRESS", "", "TPP_ADMIN_ADDRESS", "http://127.0.0.2/")));
    assertTrue(
        e.getMessage().startsWith("TPP_LISTEN_ADDRESS: \"\" (expected: an IP address or host name"),
        e.getMessage());
    assertTrue(
        e.getMessage().contains("; TPP_ADMIN_ADDRESS: \"http://127.0.0.2/\""), e.getMessage());
  }
}
