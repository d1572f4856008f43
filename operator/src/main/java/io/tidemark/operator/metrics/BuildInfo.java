package io.tidemark.operator.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * Which Tidemark this is: the version Maven wrote into {@code tidemark-build.properties} (a
 * filtered resource of the operator module), else the jar manifest's Implementation-Version, else
 * "unknown" (classes run outside a Maven build).
 */
record BuildInfo(String version, String javaVersion) {
  static final String RESOURCE = "/io/tidemark/operator/tidemark-build.properties";

  static BuildInfo current() {
    return new BuildInfo(ownVersion(), System.getProperty("java.version", "unknown"));
  }

  private static String ownVersion() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        Properties p = new Properties();
        p.load(in);
        String v = p.getProperty("version", "");
        if (!v.isBlank() && !v.startsWith("${")) {
          return v.trim();
        }
      }
    } catch (IOException e) {
      // fall through to the manifest
    }
    String manifest = BuildInfo.class.getPackage().getImplementationVersion();
    return manifest == null || manifest.isBlank() ? "unknown" : manifest;
  }
}
