package io.tidemark.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link RunnerImage}'s entrypoint, the Tidemark runner, is started on the host: {@code
 * <java> <jvmOptions> -cp <classpath> <mainClass>}, followed by the container's arguments.
 *
 * <p>{@link #defaults()} uses this JVM's {@code java} binary and class path (this module depends on
 * the runner, so its classes are there) and JVM options that make a short-lived JVM start fast.
 */
public record RunnerEntrypoint(
    Path javaBinary, List<String> jvmOptions, String classpath, String mainClass) {
  public static final String MAIN_CLASS = "io.tidemark.migrate.Main";
  public static final List<String> FAST_START_OPTIONS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData");

  public RunnerEntrypoint {
    Objects.requireNonNull(javaBinary, "javaBinary");
    jvmOptions = List.copyOf(jvmOptions);
    Objects.requireNonNull(classpath, "classpath");
    Objects.requireNonNull(mainClass, "mainClass");
  }

  public static RunnerEntrypoint defaults() {
    return new RunnerEntrypoint(
        Path.of(System.getProperty("java.home"), "bin", "java"),
        FAST_START_OPTIONS,
        absolute(System.getProperty("java.class.path")),
        MAIN_CLASS);
  }

  /**
   * Containers run in their pod's folder: a relative class path entry (java -jar x.jar) would not
   * resolve there.
   */
  static String absolute(String classpath) {
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty()) {
        entries.add(Path.of(entry).toAbsolutePath().normalize().toString());
      }
    }
    return String.join(java.io.File.pathSeparator, entries);
  }

  /** The command line that starts the runner, without the container's arguments. */
  List<String> commandLine() {
    List<String> line = new ArrayList<>();
    line.add(javaBinary.toString());
    line.addAll(jvmOptions);
    line.add("-cp");
    line.add(classpath);
    line.add(mainClass);
    return line;
  }
}
