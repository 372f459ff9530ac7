package com.bacefook.store.security;

import java.security.cert.CertificateException;

/** A peer certificate this side refused; the message says which and why, in one line. */
public final class RefusedCertificateException extends CertificateException {
  private static final long serialVersionUID = 1L;

  /** Creates the refusal with its one-line {@code reason}, keeping the validator's {@code cause}. */
  public RefusedCertificateException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
