package io.tidemark.local;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.tidemark.operator.config.OperatorSettings;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.HistoryEntry;
import io.tidemark.operator.model.Phase;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Local mode ({@code java -jar tidemark-local.jar}, see {@link LocalMain}): Tidemark's main job on
 * this machine. Starts a {@link LocalCluster}, applies the todo example (CRD, namespace, Secret,
 * volume claim, a DatabaseSchema at an older revision), waits for it to be Ready, moves it to
 * latest, and prints the status as it changes, then the history, the Events and the backups, the
 * way kubectl would show them.
 */
public final class LocalMode {
  static final String EXAMPLE_IMAGE = "registry.example.com/todo-migrations:1.7.0";
  static final String FIRST_TARGET = "3";
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

  private LocalMode() {}

  public static int run(String[] args, PrintStream out) throws Exception {
    Path examples = Path.of("examples", "todo");
    boolean keepRunning = false;
    Path kubeconfig = null;
    for (int i = 0; i < args.length; i++) {
      if ("--examples".equals(args[i]) && i + 1 < args.length) {
        examples = Path.of(args[++i]);
      } else if ("--kubeconfig".equals(args[i]) && i + 1 < args.length) {
        kubeconfig = Path.of(args[++i]);
      } else if ("--keep-running".equals(args[i])) {
        keepRunning = true;
      } else {
        out.println("unknown option " + args[i] + "; usage: " + USAGE);
        return 2;
      }
    }
    if (kubeconfig != null && !Files.isRegularFile(kubeconfig)) {
      out.println("No kubeconfig at " + kubeconfig.toAbsolutePath());
      return 2;
    }
    if (!Files.isDirectory(examples.resolve("migrations"))) {
      out.println(
          "No example chain at "
              + examples.resolve("migrations").toAbsolutePath()
              + ": run from the repository's root or pass --examples DIR");
      return 2;
    }
    quietLogs();
    Path work = Files.createDirectories(Path.of(".tidemark-local"));
    Path backups = Files.createDirectories(work.resolve("backups"));
    boolean pgDump = onPath("pg_dump");

    ImageCatalog images =
        ImageCatalog.withPostgresTools()
            .addRunner(EXAMPLE_IMAGE, examples.resolve("migrations").toAbsolutePath());
    LocalVolumes volumes = new LocalVolumes(work.resolve("volumes").toAbsolutePath());
    try (LocalEnvironment cluster =
        kubeconfig == null
            ? LocalCluster.builder()
                .images(images)
                .volumes(volumes)
                .settings(OperatorSettings.defaults())
                .start()
            : new ExistingCluster(kubeconfig, images, volumes, OperatorSettings.defaults())) {
      out.println("Tidemark local mode: " + cluster.describe() + ".");
      out.println("Migrations image " + EXAMPLE_IMAGE + " -> " + examples.resolve("migrations"));
      KubernetesClient client = cluster.client();
      Namespace ns = load(client, examples.resolve("namespace.yaml"), Namespace.class);
      client.resource(ns).createOr(NonDeletingOperation::update);
      Secret secret = load(client, examples.resolve("secret.yaml"), Secret.class);
      client.resource(secret).createOr(NonDeletingOperation::update);
      PersistentVolumeClaim claim =
          load(client, examples.resolve("backup-pvc.yaml"), PersistentVolumeClaim.class);
      if (client.resource(claim).get() == null) {
        client.resource(claim).create();
      }
      cluster.mapClaim(
          claim.getMetadata().getNamespace(),
          claim.getMetadata().getName(),
          backups.toAbsolutePath());

      DatabaseSchema schema =
          load(client, examples.resolve("databaseschema.yaml"), DatabaseSchema.class);
      var db = schema.getSpec().getDatabase();
      Map<String, String> credentials = secret.getStringData();
      cluster.createDatabase(
          db.getName(), credentials.get(db.getUsernameKey()), credentials.get(db.getPasswordKey()));
      out.println(
          "Embedded PostgreSQL on localhost:"
              + cluster.postgresPort()
              + ", database "
              + db.getName()
              + "; spec.database.host "
              + db.getHost()
              + " is pointed there.");
      db.setHost("localhost");
      db.setPort(cluster.postgresPort());
      if (!pgDump) {
        out.println(
            "pg_dump is not on PATH: backups are turned off here (install postgresql-client to see them).");
        schema.getSpec().getBackup().setEnabled(false);
      }
      String finalTarget = schema.getSpec().getTargetRevision();
      schema.getSpec().setTargetRevision(FIRST_TARGET);
      if (!cluster.nodeSelector().isEmpty()) {
        if (schema.getSpec().getJobTemplate() == null) {
          schema.getSpec().setJobTemplate(new io.tidemark.operator.model.JobTemplateSpec());
        }
        schema.getSpec().getJobTemplate().setNodeSelector(cluster.nodeSelector());
        out.println(
            "Jobs are kept on this machine with jobTemplate.nodeSelector "
                + cluster.nodeSelector()
                + ".");
      }
      // A walkthrough run before on the same API server: start again from an empty database.
      removeEarlierRun(client, schema, out);

      cluster.startOperator();
      StatusPrinter printer = new StatusPrinter(out);
      out.println();
      out.println(
          "$ kubectl apply -f "
              + examples.resolve("databaseschema.yaml")
              + "   # targetRevision: \""
              + FIRST_TARGET
              + "\"");
      client.resource(schema).create();
      String ns1 = schema.getMetadata().getNamespace();
      String name = schema.getMetadata().getName();
      if (!awaitReady(client, ns1, name, FIRST_TARGET, printer)) {
        return fail(out, client, ns1, name);
      }

      out.println();
      out.println(
          "$ kubectl patch dbs "
              + name
              + " --type=merge -p '{\"spec\":{\"targetRevision\":\""
              + finalTarget
              + "\"}}'");
      client
          .resources(DatabaseSchema.class)
          .inNamespace(ns1)
          .withName(name)
          .edit(
              r -> {
                r.getSpec().setTargetRevision(finalTarget);
                return r;
              });
      if (!awaitReady(client, ns1, name, null, printer)) {
        return fail(out, client, ns1, name);
      }
      summary(out, client, ns1, name, backups);
      if (keepRunning) {
        out.println("\nRunning until Ctrl-C; API server at " + client.getMasterUrl());
        Thread.currentThread().join();
      }
      return 0;
    }
  }

  static final String USAGE =
      "tidemark-local [--keep-running] [--examples DIR] [--kubeconfig FILE]";

  private static void removeEarlierRun(
      KubernetesClient client, DatabaseSchema schema, PrintStream out) throws InterruptedException {
    var existing =
        client
            .resources(DatabaseSchema.class)
            .inNamespace(schema.getMetadata().getNamespace())
            .withName(schema.getMetadata().getName());
    if (existing.get() == null) {
      return;
    }
    out.println("Deleting the DatabaseSchema of an earlier run (the embedded database is new).");
    existing.delete();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (existing.get() != null && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
    }
  }

  /**
   * Waits for Ready at the target (or, with null, at whatever "latest" resolves to), printing each
   * change.
   */
  private static boolean awaitReady(
      KubernetesClient client, String ns, String name, String target, StatusPrinter printer)
      throws InterruptedException {
    Instant deadline = Instant.now().plus(STEP_TIMEOUT);
    var resource = client.resources(DatabaseSchema.class).inNamespace(ns).withName(name);
    while (Instant.now().isBefore(deadline)) {
      DatabaseSchema current = resource.get();
      DatabaseSchemaStatus status = current == null ? null : current.getStatus();
      printer.show(status);
      if (status != null
          && Objects.equals(
              status.getObservedGeneration(), current.getMetadata().getGeneration())) {
        if (status.getPhase() == Phase.Ready
            && (target == null || target.equals(status.getCurrentRevision()))) {
          return true;
        }
        if (status.getPhase() == Phase.Failed || status.getPhase() == Phase.Blocked) {
          return false;
        }
      }
      // A person watching a terminal: polling twice a second is what `kubectl get -w` feels like.
      Thread.sleep(500);
    }
    return false;
  }

  private static int fail(PrintStream out, KubernetesClient client, String ns, String name) {
    out.println("\nThe example did not reach Ready; Events:");
    events(out, client, ns, name);
    return 1;
  }

  private static void summary(
      PrintStream out, KubernetesClient client, String ns, String name, Path backups)
      throws IOException {
    DatabaseSchema r = client.resources(DatabaseSchema.class).inNamespace(ns).withName(name).get();
    DatabaseSchemaStatus s = r.getStatus();
    out.println();
    out.println("$ kubectl get dbs -n " + ns);
    kubectlGet(r, Instant.now()).forEach(out::println);
    out.println();
    out.println("History (newest first):");
    for (HistoryEntry h : s.getHistory()) {
      // As kubectl shows it: the stored string ("Applied"), not the Java constant.
      String action = client.getKubernetesSerialization().convertValue(h.getAction(), String.class);
      out.printf(
          "  %-8s %s -> %s  %s  (%s)%n",
          action,
          h.getFrom(),
          h.getTo(),
          h.getRevisions() == null ? "" : String.join(",", h.getRevisions()),
          h.getJob());
    }
    out.println();
    out.println("Conditions:");
    for (Condition c : s.getConditions()) {
      out.printf(
          "  %-12s %-6s %-20s %s%n", c.getType(), c.getStatus(), c.getReason(), c.getMessage());
    }
    out.println();
    out.println("Events:");
    events(out, client, ns, name);
    out.println();
    out.println("Backups in " + backups + ":");
    try (Stream<Path> files = Files.list(backups)) {
      files
          .sorted()
          .forEach(
              f -> {
                try {
                  out.printf("  %s  %d bytes%n", f.getFileName(), Files.size(f));
                } catch (IOException e) {
                  out.println("  " + f.getFileName());
                }
              });
    }
  }

  /**
   * What {@code kubectl get dbs} prints for the resource: the CRD's printer columns without {@code
   * -o wide} (NAME READY PHASE CURRENT TARGET REASON AGE), padded as kubectl pads them.
   */
  static java.util.List<String> kubectlGet(DatabaseSchema r, Instant now) {
    DatabaseSchemaStatus s = r.getStatus();
    Condition ready =
        s == null
            ? null
            : s.getConditions().stream()
                .filter(c -> "Ready".equals(c.getType()))
                .findFirst()
                .orElse(null);
    String created = r.getMetadata().getCreationTimestamp();
    java.util.List<String[]> rows =
        java.util.List.of(
            new String[] {"NAME", "READY", "PHASE", "CURRENT", "TARGET", "REASON", "AGE"},
            new String[] {
              r.getMetadata().getName(),
              ready == null ? "" : ready.getStatus(),
              s == null || s.getPhase() == null ? "" : s.getPhase().name(),
              s == null ? "" : Objects.toString(s.getCurrentRevision(), ""),
              s == null ? "" : Objects.toString(s.getTargetRevision(), ""),
              ready == null ? "" : Objects.toString(ready.getReason(), ""),
              created == null ? "<unknown>" : age(Duration.between(Instant.parse(created), now))
            });
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(
            i == row.length - 1 ? row[i] : String.format("%-" + (width[i] + 3) + "s", row[i]));
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** kubectl's short age: 45s, 3m20s, 25m, 5h10m, 30h, 12d. */
  static String age(Duration d) {
    long seconds = Math.max(0, d.getSeconds());
    long minutes = seconds / 60;
    long hours = minutes / 60;
    if (seconds < 120) {
      return seconds + "s";
    }
    if (minutes < 10) {
      return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    if (hours < 8) {
      return minutes % 60 == 0 ? hours + "h" : hours + "h" + minutes % 60 + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    return hours / 24 + "d";
  }

  private static void events(PrintStream out, KubernetesClient client, String ns, String name) {
    client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing((Event e) -> String.valueOf(e.getLastTimestamp())))
        .forEach(e -> out.printf("  %-7s %-18s %s%n", e.getType(), e.getReason(), e.getMessage()));
  }

  private static <T extends HasMetadata> T load(KubernetesClient client, Path file, Class<T> type)
      throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return client.getKubernetesSerialization().unmarshal(in, type);
    }
  }

  /**
   * The status table is the story here; the operator's own log lines (Events, mostly) come at the
   * end.
   */
  private static void quietLogs() {
    org.slf4j.Logger tidemark = org.slf4j.LoggerFactory.getLogger("io.tidemark");
    if (tidemark instanceof ch.qos.logback.classic.Logger logback) {
      logback.setLevel(ch.qos.logback.classic.Level.WARN);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  /** Prints one line whenever what `kubectl get dbs` and the Progressing condition show changes. */
  static final class StatusPrinter {
    private final PrintStream out;
    private String last = "";

    StatusPrinter(PrintStream out) {
      this.out = out;
      out.printf(
          "%-9s %-10s %-8s %-8s %-8s %s%n",
          "TIME", "PHASE", "CURRENT", "TARGET", "LATEST", "MESSAGE");
    }

    void show(DatabaseSchemaStatus status) {
      if (status == null || status.getPhase() == null) {
        return;
      }
      String message =
          status.getConditions().stream()
              .filter(c -> "True".equals(c.getStatus()) && !"Drifted".equals(c.getType()))
              .map(Condition::getMessage)
              .findFirst()
              .orElse("");
      String line =
          String.format(
              "%-10s %-8s %-8s %-8s %s",
              status.getPhase(),
              dash(status.getCurrentRevision()),
              dash(status.getTargetRevision()),
              dash(status.getLatestRevision()),
              message);
      if (!line.equals(last)) {
        out.println(LocalTime.now().format(CLOCK) + "  " + line);
        last = line;
      }
    }

    private static String dash(String s) {
      return s == null ? "-" : s;
    }
  }
}
