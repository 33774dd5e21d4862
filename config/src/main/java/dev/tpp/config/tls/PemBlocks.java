package dev.tpp.config.tls;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** The base64 bodies of {@code -----BEGIN TYPE-----} blocks in a PEM text. Pure; any thread. */
final class PemBlocks {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

  private PemBlocks() {}

  /** Every block of {@code type}, decoded, in file order. */
  static List<byte[]> all(String pem, String type) {
    List<byte[]> out = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      if (m.group(1).equals(type)) {
        out.add(Base64.getMimeDecoder().decode(m.group(2)));
      }
    }
    return out;
  }

  /** The first block of {@code type}, or null. */
  static byte @Nullable [] first(String pem, String type) {
    List<byte[]> all = all(pem, type);
    return all.isEmpty() ? null : all.get(0);
  }
}
