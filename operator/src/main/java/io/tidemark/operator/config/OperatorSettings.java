package io.tidemark.operator.config;

import io.tidemark.operator.jobs.JobSettings;
import io.tidemark.operator.rollout.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's configuration, from environment variables (docs/architecture.md, "Operator
 * configuration"); the Helm chart sets them.
 */
public record OperatorSettings(
    Set<String> watchNamespaces,
    boolean leaderElection,
    String leaderElectionNamespace,
    int httpPort,
    Duration replanInterval,
    int finishedJobsKept,
    Duration maxRetryBackoff,
    Duration blockedRecheck,
    ArgoRollouts argoRollouts,
    JobSettings jobs,
    String leaseName,
    boolean oneJobChanges) {

  /** The Lease's name when none is given; the chart names it after the release. */
  public static final String DEFAULT_LEASE_NAME = "tidemark-operator-leader";

  /** Whether to watch Argo Rollouts: when the cluster serves them (discovery), always, or never. */
  public enum ArgoRollouts {
    AUTO,
    ON,
    OFF
  }

  public static OperatorSettings defaults() {
    return new OperatorSettings(
        Set.of(),
        false,
        null,
        8080,
        Duration.ofMinutes(10),
        3,
        Duration.ofMinutes(5),
        Duration.ofSeconds(30),
        ArgoRollouts.AUTO,
        JobSettings.defaults(),
        DEFAULT_LEASE_NAME,
        true);
  }

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    OperatorSettings d = defaults();
    Set<String> namespaces =
        Arrays.stream(env.getOrDefault("TIDEMARK_WATCH_NAMESPACES", "").split(","))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toUnmodifiableSet());
    boolean leader = Boolean.parseBoolean(env.getOrDefault("TIDEMARK_LEADER_ELECTION", "true"));
    String leaderNs =
        env.getOrDefault("TIDEMARK_LEADER_ELECTION_NAMESPACE", env.get("POD_NAMESPACE"));
    int port = Integer.parseInt(env.getOrDefault("TIDEMARK_HTTP_PORT", "8080"));
    Duration replan = duration(env, "TIDEMARK_REPLAN_INTERVAL", d.replanInterval());
    int kept = Integer.parseInt(env.getOrDefault("TIDEMARK_FINISHED_JOBS_KEPT", "3"));
    Duration backoff = duration(env, "TIDEMARK_MAX_RETRY_BACKOFF", d.maxRetryBackoff());
    JobSettings jobs =
        d.jobs()
            .withBackupImageTemplate(
                env.getOrDefault("TIDEMARK_BACKUP_IMAGE", d.jobs().backupImageTemplate()))
            .withRunnerImage(env.getOrDefault("TIDEMARK_RUNNER_IMAGE", d.jobs().runnerImage()));
    ArgoRollouts argo = argoRollouts(env.getOrDefault("TIDEMARK_ARGO_ROLLOUTS", "auto"));
    String lease = env.getOrDefault("TIDEMARK_LEADER_ELECTION_LEASE", "").trim();
    if (!lease.isEmpty() && !lease.matches("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "TIDEMARK_LEADER_ELECTION_LEASE=" + lease + " is not a valid object name");
    }
    return new OperatorSettings(
        namespaces,
        leader,
        leaderNs,
        port,
        replan,
        kept,
        backoff,
        d.blockedRecheck(),
        argo,
        jobs,
        lease.isEmpty() ? DEFAULT_LEASE_NAME : lease,
        Boolean.parseBoolean(env.getOrDefault("TIDEMARK_ONE_JOB_CHANGES", "true").trim()));
  }

  // Changing one setting: the few that tests and local mode tune.

  public OperatorSettings withReplanInterval(Duration interval) {
    return toBuilder().replanInterval(interval).build();
  }

  public OperatorSettings withMaxRetryBackoff(Duration max) {
    return toBuilder().maxRetryBackoff(max).build();
  }

  public OperatorSettings withBlockedRecheck(Duration recheck) {
    return toBuilder().blockedRecheck(recheck).build();
  }

  public OperatorSettings withArgoRollouts(ArgoRollouts watch) {
    return toBuilder().argoRollouts(watch).build();
  }

  public OperatorSettings withJobs(JobSettings jobSettings) {
    return toBuilder().jobs(jobSettings).build();
  }

  /**
   * Off: every change runs as a plan Job, a backup Job and a migrate or undo Job, as with an
   * approval (for runner images without a PostgreSQL client).
   */
  public OperatorSettings withOneJobChanges(boolean on) {
    return toBuilder().oneJobChanges(on).build();
  }

  private Builder toBuilder() {
    return new Builder(this);
  }

  /** A copy with some fields changed; the record's canonical constructor is called in one place. */
  private static final class Builder {
    private final OperatorSettings from;
    private Duration replanInterval;
    private Duration maxRetryBackoff;
    private Duration blockedRecheck;
    private ArgoRollouts argoRollouts;
    private JobSettings jobs;
    private boolean oneJobChanges;

    Builder(OperatorSettings from) {
      this.from = from;
      this.replanInterval = from.replanInterval;
      this.maxRetryBackoff = from.maxRetryBackoff;
      this.blockedRecheck = from.blockedRecheck;
      this.argoRollouts = from.argoRollouts;
      this.jobs = from.jobs;
      this.oneJobChanges = from.oneJobChanges;
    }

    Builder oneJobChanges(boolean on) {
      this.oneJobChanges = on;
      return this;
    }

    Builder replanInterval(Duration d) {
      this.replanInterval = d;
      return this;
    }

    Builder maxRetryBackoff(Duration d) {
      this.maxRetryBackoff = d;
      return this;
    }

    Builder blockedRecheck(Duration d) {
      this.blockedRecheck = d;
      return this;
    }

    Builder argoRollouts(ArgoRollouts a) {
      this.argoRollouts = a;
      return this;
    }

    Builder jobs(JobSettings j) {
      this.jobs = j;
      return this;
    }

    OperatorSettings build() {
      return new OperatorSettings(
          from.watchNamespaces,
          from.leaderElection,
          from.leaderElectionNamespace,
          from.httpPort,
          replanInterval,
          from.finishedJobsKept,
          maxRetryBackoff,
          blockedRecheck,
          argoRollouts,
          jobs,
          from.leaseName,
          oneJobChanges);
    }
  }

  /**
   * auto, on or off; YAML's true and false (what an unquoted on/off becomes) are read as on and
   * off.
   */
  static ArgoRollouts argoRollouts(String value) {
    switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "on":
      case "true":
        return ArgoRollouts.ON;
      case "off":
      case "false":
        return ArgoRollouts.OFF;
      case "auto":
      case "":
        return ArgoRollouts.AUTO;
      default:
        throw new IllegalArgumentException(
            "TIDEMARK_ARGO_ROLLOUTS=" + value + " must be auto, on or off");
    }
  }

  private static Duration duration(Map<String, String> env, String name, Duration fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return Durations.parseGo(value.trim())
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    name + "=" + value + " is not a duration such as 10m or 1h"));
  }
}
