package dev.tpp.config.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * The DNS names a certificate is valid for, and whether they cover a name (exact or one-label
 * wildcard).
 */
public final class ServerNames {
  private static final int DNS_NAME = 2;

  private ServerNames() {}

  /** The leaf's DNS subject alternative names, lower-cased; its CN when it has none. */
  public static List<String> of(X509Certificate leaf) {
    List<String> names = new ArrayList<>();
    try {
      Collection<List<?>> sans = leaf.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          if (((Integer) san.get(0)) == DNS_NAME) {
            names.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
          }
        }
      }
    } catch (CertificateParsingException e) {
      // no usable SANs: fall back to the CN
    }
    if (names.isEmpty()) {
      try {
        for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
          if (rdn.getType().equalsIgnoreCase("CN")) {
            names.add(String.valueOf(rdn.getValue()).toLowerCase(Locale.ROOT));
          }
        }
      } catch (InvalidNameException e) {
        // no CN either: the certificate serves as a default only
      }
    }
    return names;
  }

  /**
   * True when {@code name} is one of {@code names} or matches a {@code *.} entry for exactly one
   * more label.
   */
  public static boolean covers(List<String> names, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    for (String have : names) {
      if (have.equals(n)) {
        return true;
      }
      if (have.startsWith("*.")) {
        int dot = n.indexOf('.');
        if (dot > 0 && n.substring(dot).equals(have.substring(1))) {
          return true;
        }
      }
    }
    return false;
  }
}
