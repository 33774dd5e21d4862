package dev.tpp.config.tls;

import java.util.Objects;

/** A certificate or key file that cannot be served; the message names the file and the reason. */
public final class CertificateFileException extends Exception {
  private static final long serialVersionUID = 1L;

  public CertificateFileException(String message) {
    super(message);
  }

  /** Always set: every constructor takes the message. */
  @Override
  public String getMessage() {
    return Objects.requireNonNull(super.getMessage(), "message");
  }
}
