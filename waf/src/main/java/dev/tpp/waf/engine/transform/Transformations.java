package dev.tpp.waf.engine.transform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The registry of SecLang transformations by (case-insensitive) name. Built once, read by the
 * parser at build time; the functions it returns are pure and called concurrently by pool threads.
 */
public final class Transformations {
  private static final Map<String, Transformation> BY_NAME = new HashMap<>();

  static {
    add("urlDecode", s -> Decoders.urlDecode(s, false));
    add("urlDecodeUni", s -> Decoders.urlDecode(s, true));
    add("htmlEntityDecode", Decoders::htmlEntityDecode);
    add("jsDecode", Decoders::jsDecode);
    add("cssDecode", Decoders::cssDecode);
    add("escapeSeqDecode", Decoders::escapeSeqDecode);
    add("base64Decode", s -> Decoders.base64Decode(s, false));
    add("base64DecodeExt", s -> Decoders.base64Decode(s, true));
    add("hexDecode", Decoders::hexDecode);
    add("sqlHexDecode", Decoders::sqlHexDecode);
    add("utf8toUnicode", Decoders::utf8ToUnicode);
    add("hexEncode", Transformations::hexEncode);
    add("lowercase", s -> s.toLowerCase(Locale.ROOT));
    add("uppercase", s -> s.toUpperCase(Locale.ROOT));
    add("length", s -> Integer.toString(s.length()));
    add("sha1", s -> digest("SHA-1", s));
    add("md5", s -> digest("MD5", s));
    add("trim", s -> Cleaners.trimRight(Cleaners.trimLeft(s)));
    add("trimLeft", Cleaners::trimLeft);
    add("trimRight", Cleaners::trimRight);
    add("compressWhitespace", Cleaners::compressWhitespace);
    add("removeWhitespace", Cleaners::removeWhitespace);
    add("removeNulls", s -> s.indexOf('\0') < 0 ? s : s.replace("\0", ""));
    add("replaceNulls", s -> s.replace('\0', ' '));
    add("replaceComments", Cleaners::replaceComments);
    add("removeComments", Cleaners::removeComments);
    add("removeCommentsChar", Cleaners::removeCommentsChar);
    add("cmdLine", Cleaners::cmdLine);
    add("normalisePath", s -> Cleaners.normalisePath(s, false));
    add("normalizePath", s -> Cleaners.normalisePath(s, false));
    add("normalisePathWin", s -> Cleaners.normalisePath(s, true));
    add("normalizePathWin", s -> Cleaners.normalisePath(s, true));
    add("parityEven7bit", UnaryOperator.identity());
    add("parityOdd7bit", UnaryOperator.identity());
    add("parityZero7bit", UnaryOperator.identity());
  }

  private Transformations() {}

  private static void add(String name, UnaryOperator<String> f) {
    BY_NAME.put(name.toLowerCase(Locale.ROOT), new Transformation(name, f));
  }

  /**
   * The transformation called {@code name} (any case), or empty when SecLang has no such name we
   * support.
   */
  public static Optional<Transformation> byName(String name) {
    return Optional.ofNullable(BY_NAME.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * ModSecurity's lenient URL decoding, also used for argument names and values (invalid escapes
   * stay).
   */
  public static String urlDecode(String s) {
    return Decoders.urlDecode(s, false);
  }

  static String hexEncode(String s) {
    StringBuilder out = new StringBuilder(s.length() * 2);
    for (int i = 0; i < s.length(); i++) {
      int c = s.charAt(i) & 0xFF;
      out.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xF, 16));
    }
    return out.toString();
  }

  static String digest(String algorithm, String s) {
    try {
      byte[] d =
          MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.ISO_8859_1));
      return new String(d, StandardCharsets.ISO_8859_1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " missing from the JRE", e);
    }
  }
}
