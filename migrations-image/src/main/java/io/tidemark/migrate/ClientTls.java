package io.tidemark.migrate;

import io.tidemark.report.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS files libpq's variables name (PGSSLROOTCERT, PGSSLCERT, PGSSLKEY), checked before the
 * first connection, and the client key in the form the JDBC driver reads. libpq (pg_dump, psql)
 * reads PEM; the PostgreSQL JDBC driver reads a PKCS#8 key in DER only. A Kubernetes TLS Secret's
 * {@code tls.key} is PEM, PKCS#8 or PKCS#1 RSA (by the block's label): both are turned into PKCS#8
 * DER in a file of the runner's own, readable by its user only.
 */
record ClientTls(String rootCert, String cert, String pemKey, String jdbcKey) {
  static final String ROOT_CERT = "PGSSLROOTCERT";
  static final String CERT = "PGSSLCERT";
  static final String KEY = "PGSSLKEY";

  private static final String PEM_DASHES = "-----";
  private static final String PEM_BEGIN = PEM_DASHES + "BEGIN ";
  private static final String PKCS8_LABEL = "PRIVATE KEY";
  private static final String PKCS1_RSA_LABEL = "RSA " + PKCS8_LABEL;

  /** OID 1.2.840.113549.1.1.1 (rsaEncryption) with NULL parameters, DER. */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  /** Reads the variables; empty when none is set. Throws TlsFileMissing for a file not there. */
  static Optional<ClientTls> fromEnvironment(Map<String, String> env, Path scratch) {
    String rootCert = existing(env, ROOT_CERT);
    String cert = existing(env, CERT);
    String key = existing(env, KEY);
    if (rootCert == null && cert == null && key == null) {
      return Optional.empty();
    }
    if ((cert == null) != (key == null)) {
      throw new RunnerException(
          Reason.TlsFileMissing,
          "a client certificate needs both "
              + CERT
              + " and "
              + KEY
              + "; only "
              + (cert == null ? KEY : CERT)
              + " is set");
    }
    String jdbcKey = key == null ? null : jdbcKey(Path.of(key), scratch).toString();
    return Optional.of(new ClientTls(rootCert, cert, key, jdbcKey));
  }

  private static String existing(Map<String, String> env, String variable) {
    String value = env.get(variable);
    if (value == null || value.isEmpty()) {
      return null;
    }
    if (!Files.isRegularFile(Path.of(value))) {
      throw new RunnerException(
          Reason.TlsFileMissing,
          variable
              + " names "
              + value
              + ", which does not exist: the Secret or ConfigMap mounted there is missing or has"
              + " no such key (spec.database.tls, or the cluster's <name>-ca Secret)");
    }
    return value;
  }

  /** The key as PKCS#8 DER: the file itself when it is DER already, otherwise a converted copy. */
  static Path jdbcKey(Path key, Path scratch) {
    byte[] content;
    try {
      content = Files.readAllBytes(key);
    } catch (IOException e) {
      throw new RunnerException(
          Reason.TlsFileMissing,
          KEY + " names " + key + ", which cannot be read: " + e.getMessage());
    }
    String text = new String(content, StandardCharsets.US_ASCII);
    String label = pemLabel(text);
    byte[] der;
    if (label == null) {
      return key; // not PEM: DER already
    } else if (label.equals(PKCS8_LABEL)) {
      der = pemBody(text, label);
    } else if (label.equals(PKCS1_RSA_LABEL)) {
      der = rsaPkcs1ToPkcs8(pemBody(text, label));
    } else {
      throw new RunnerException(
          Reason.TlsFileMissing,
          "the client key "
              + key
              + " is PEM labelled \""
              + label
              + "\", which the runner cannot read (it reads unencrypted PKCS#8, labelled \""
              + PKCS8_LABEL
              + "\", and PKCS#1 RSA, labelled \""
              + PKCS1_RSA_LABEL
              + "\"): convert it with openssl pkcs8 -topk8 -nocrypt, or have cert-manager issue"
              + " it with privateKey.encoding: PKCS8");
    }
    try {
      Files.createDirectories(scratch);
      Path file = Files.createTempFile(scratch, "client-", ".pk8");
      try {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Not a POSIX file system: the folder's own protection applies.
      }
      Files.write(file, der);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new RunnerException(
          Reason.Internal, "cannot write the converted client key: " + e.getMessage(), e);
    }
  }

  /** The label of the first PEM block ("-----" "BEGIN label" "-----"), or null when none. */
  static String pemLabel(String text) {
    int begin = text.indexOf(PEM_BEGIN);
    if (begin < 0) {
      return null;
    }
    int end = text.indexOf(PEM_DASHES, begin + PEM_BEGIN.length());
    return end < 0 ? null : text.substring(begin + PEM_BEGIN.length(), end);
  }

  private static byte[] pemBody(String text, String label) {
    String header = PEM_BEGIN + label + PEM_DASHES;
    String footer = PEM_DASHES + "END " + label + PEM_DASHES;
    int begin = text.indexOf(header);
    int end = text.indexOf(footer, begin);
    if (end < 0) {
      throw new RunnerException(
          Reason.TlsFileMissing, "the client key's PEM has no END " + label + " line");
    }
    String body = text.substring(begin + header.length(), end);
    if (body.contains("Proc-Type") || body.contains("DEK-Info")) {
      throw new RunnerException(
          Reason.TlsFileMissing,
          "the client key is encrypted; Tidemark reads an unencrypted key (the Secret protects"
              + " it)");
    }
    try {
      return Base64.getMimeDecoder().decode(body);
    } catch (IllegalArgumentException e) {
      throw new RunnerException(
          Reason.TlsFileMissing, "the client key's PEM is not valid base64: " + e.getMessage());
    }
  }

  /** PrivateKeyInfo { version 0, rsaEncryption, OCTET STRING { RSAPrivateKey } } in DER. */
  static byte[] rsaPkcs1ToPkcs8(byte[] pkcs1) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(RSA_ALGORITHM);
    body.write(0x04);
    body.writeBytes(derLength(pkcs1.length));
    body.writeBytes(pkcs1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x30);
    out.writeBytes(derLength(body.size()));
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  private static byte[] derLength(int length) {
    if (length < 0x80) {
      return new byte[] {(byte) length};
    }
    if (length <= 0xff) {
      return new byte[] {(byte) 0x81, (byte) length};
    }
    if (length <= 0xffff) {
      return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
    }
    return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
  }

  @Override
  public String toString() {
    return "ClientTls[rootCert=" + rootCert + ", cert=" + cert + ", key=" + pemKey + "]";
  }
}
