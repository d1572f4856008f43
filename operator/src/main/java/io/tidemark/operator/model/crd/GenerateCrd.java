package io.tidemark.operator.model.crd;

import io.fabric8.crdv2.generator.CRDGenerationInfo;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.tidemark.operator.model.DatabaseSchema;
import java.io.File;

/**
 * Generates the CRD of {@link DatabaseSchema} at build time (the operator's pom runs it in
 * process-classes, into target/classes/META-INF/fabric8/): fabric8's CRD generator, as its Maven
 * plugin would run it, plus {@link DatabaseSchemaCrdPostProcessor} for what the generator cannot
 * express. Not part of the operator's jar; the generator is a build-time (provided) dependency.
 *
 * <p>Usage: {@code GenerateCrd <output directory>}.
 */
public final class GenerateCrd {
  private GenerateCrd() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: GenerateCrd <output directory>");
    }
    CRDGenerationInfo info = generate(new File(args[0]));
    info.getCRDDetailsPerNameAndVersion()
        .forEach(
            (name, versions) ->
                versions.forEach(
                    (version, crd) ->
                        System.out.println(
                            "Generated CRD " + name + " " + version + ": " + crd.getFilePath())));
  }

  /** Writes databaseschemas.db.tidemark.io-v1.yml into {@code dir}. */
  public static CRDGenerationInfo generate(File dir) {
    if (!dir.isDirectory() && !dir.mkdirs()) {
      throw new IllegalStateException("cannot create " + dir);
    }
    return new CRDGenerator()
        .customResourceClasses(DatabaseSchema.class)
        .forCRDVersions("v1")
        .withParallelGenerationEnabled(false)
        .withImplicitPreserveUnknownFields(false)
        .withMinQuotes(false)
        .withPostProcessor(new DatabaseSchemaCrdPostProcessor(DatabaseSchema.class))
        .inOutputDir(dir)
        .detailedGenerate();
  }
}
