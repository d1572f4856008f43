package io.tidemark.local;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a container's command line as a local process: a clean environment (exactly the launch's),
 * stdout and stderr merged into the log file and the console, and, when interrupted, the process
 * and everything it started killed (a shell's children too), as a container runtime would.
 */
final class ProcessContainerRunner implements ContainerRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessContainerRunner.class);

  @Override
  public ContainerResult run(ContainerLaunch launch) throws IOException, InterruptedException {
    if (launch.command().isEmpty()) {
      throw new IOException(
          "no command specified: the image has no entrypoint and the Job gives no command");
    }
    ProcessBuilder builder =
        new ProcessBuilder(launch.command())
            .directory(launch.workingDirectory().toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(launch.environment());
    Process process = builder.start();
    Thread pump =
        new Thread(
            () -> pump(process.getInputStream(), launch), "local-container-" + launch.podName());
    pump.setDaemon(true);
    pump.start();
    try {
      int exit = process.waitFor();
      // The output of children that outlive the main process is not waited for beyond this.
      pump.join(TimeUnit.SECONDS.toMillis(5));
      return ContainerResult.exited(exit);
    } catch (InterruptedException e) {
      kill(process);
      pump.join(TimeUnit.SECONDS.toMillis(2));
      throw e;
    }
  }

  private static void kill(Process process) {
    // Children first: once the parent is gone they are re-parented and harder to find.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        LOG.warn("process {} did not exit after SIGKILL", process.pid());
      }
    } catch (InterruptedException again) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pump(InputStream output, ContainerLaunch launch) {
    try (BufferedReader reader =
            new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
        BufferedWriter log =
            Files.newBufferedWriter(
                launch.logFile(),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
      String line;
      while ((line = reader.readLine()) != null) {
        log.write(line);
        log.newLine();
        // Flushed per line so that logs() shows a running container's output.
        log.flush();
        try {
          launch.console().accept(line);
        } catch (RuntimeException e) {
          LOG.debug("log sink failed", e);
        }
      }
    } catch (IOException e) {
      LOG.debug("reading the output of {} ended: {}", launch.podName(), e.toString());
    }
  }
}
