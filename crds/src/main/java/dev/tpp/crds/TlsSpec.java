package dev.tpp.crds;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One certificate of the {@code https} listener ({@code spec.tls[]}): a {@code kubernetes.io/tls}
 * Secret in this namespace (keys {@code tls.crt}, {@code tls.key}) and the SNI names it answers
 * for. The operator mounts the Secret read-only at {@code /etc/tpp/tls/SECRET}; the proxy watches
 * the files, so a renewal reaches the pods without a restart. The first entry is the default
 * certificate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
  @JsonPropertyDescription(
      "A kubernetes.io/tls Secret in this namespace (keys tls.crt and tls.key); unique. The first"
          + " entry is the default certificate.")
  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  public String secretName;

  @JsonPropertyDescription(
      "SNI names this certificate is chosen for (exact, or *.example.com); each must be covered"
          + " by the certificate. Empty: the names in the certificate.")
  @Size(max = 64)
  public List<String> hosts;

  public TlsSpec() {}

  public TlsSpec(String secretName, List<String> hosts) {
    this.secretName = secretName;
    this.hosts = hosts;
  }
}
