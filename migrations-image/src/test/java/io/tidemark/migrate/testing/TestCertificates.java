package io.tidemark.migrate.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A certificate authority made for a test, with the JDK's own keytool (no openssl, no Bouncy
 * Castle): a CA, and certificates it signs with the names given, each with its private key written
 * as PEM, the way a kubernetes.io/tls Secret holds them. Shared with the other modules' tests
 * through this module's test jar.
 */
public final class TestCertificates {
  private static final String PASSWORD = "changeit";

  private final Path dir;
  private final String alias;

  /** The CA's certificate, PEM: what spec.database.tls.ca holds. */
  public final Path caCert;

  private TestCertificates(Path dir, String alias) {
    this.dir = dir;
    this.alias = alias;
    this.caCert = dir.resolve(alias + "-ca.crt");
  }

  /** A new CA in {@code dir}, named {@code name} (files start with it). */
  public static TestCertificates newCa(Path dir, String name) throws IOException {
    TestCertificates ca = new TestCertificates(dir, name);
    ca.genKeyPair("ca", "CN=" + name + " test CA", ca.store(), "-ext", "bc:c");
    ca.keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "ca",
        "-keystore",
        ca.store().toString(),
        "-file",
        ca.caCert.toString());
    return ca;
  }

  /** A key pair and a certificate signed by this CA: PEM files {@code <name>.crt} and key. */
  public record Issued(Path cert, Path pkcs8Key, Path pkcs1Key) {}

  /**
   * Issues a certificate for {@code commonName} with the subject alternative names {@code sans}
   * (keytool's form: "dns:localhost", "ip:127.0.0.1"), for a server or, with a user name as common
   * name, a client.
   */
  public Issued issue(String name, String commonName, String... sans) throws Exception {
    Path store = dir.resolve(alias + "-" + name + ".p12");
    Path request = dir.resolve(alias + "-" + name + ".csr");
    Path cert = dir.resolve(alias + "-" + name + ".crt");
    genKeyPair(name, "CN=" + commonName, store);
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", request.toString());
    List<String> sign =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-rfc",
                "-alias",
                "ca",
                "-keystore",
                store().toString(),
                "-validity",
                "3",
                "-infile",
                request.toString(),
                "-outfile",
                cert.toString()));
    if (sans.length > 0) {
      sign.add("-ext");
      sign.add("san=" + String.join(",", sans));
    }
    keytool(sign.toArray(String[]::new));

    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keys.load(in, PASSWORD.toCharArray());
    }
    PrivateKey key = (PrivateKey) keys.getKey(name, PASSWORD.toCharArray());
    byte[] pkcs8 = key.getEncoded();
    Path pkcs8Key = writeKey(dir.resolve(alias + "-" + name + ".key"), "PRIVATE KEY", pkcs8);
    Path pkcs1Key =
        writeKey(dir.resolve(alias + "-" + name + ".rsa.key"), "RSA PRIVATE KEY", pkcs1Of(pkcs8));
    return new Issued(cert, pkcs8Key, pkcs1Key);
  }

  /** A 2048-bit RSA key pair with a self-signed certificate, valid 3 days, in {@code store}. */
  private void genKeyPair(String alias, String dname, Path store, String... extra)
      throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "3",
                "-dname",
                dname,
                "-keystore",
                store.toString()));
    args.addAll(List.of(extra));
    keytool(args.toArray(String[]::new));
  }

  private Path store() {
    return dir.resolve(alias + "-ca.p12");
  }

  /** The RSAPrivateKey inside a PKCS#8 PrivateKeyInfo: its last element, an OCTET STRING. */
  static byte[] pkcs1Of(byte[] pkcs8) {
    int at = 0;
    at = skipHeader(pkcs8, at); // outer SEQUENCE
    at = skip(pkcs8, at); // version
    at = skip(pkcs8, at); // algorithm
    int contentStart = skipHeader(pkcs8, at); // the OCTET STRING's content
    int length = lengthOf(pkcs8, at);
    byte[] pkcs1 = new byte[length];
    System.arraycopy(pkcs8, contentStart, pkcs1, 0, length);
    return pkcs1;
  }

  private static int skipHeader(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    return at + 2 + (first < 0x80 ? 0 : first - 0x80);
  }

  private static int lengthOf(byte[] der, int at) {
    int first = der[at + 1] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int length = 0;
    for (int i = 0; i < first - 0x80; i++) {
      length = (length << 8) | (der[at + 2 + i] & 0xff);
    }
    return length;
  }

  private static int skip(byte[] der, int at) {
    return skipHeader(der, at) + lengthOf(der, at);
  }

  private static Path writeKey(Path file, String label, byte[] der) throws IOException {
    String pem =
        "-----BEGIN "
            + label
            + "-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der)
            + "\n-----END "
            + label
            + "-----\n";
    Files.writeString(file, pem);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-noprompt"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
