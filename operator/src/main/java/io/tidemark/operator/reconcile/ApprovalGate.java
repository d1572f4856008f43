package io.tidemark.operator.reconcile;

import io.tidemark.operator.model.ApprovalPolicy;
import io.tidemark.operator.model.ApprovalStatus;
import io.tidemark.operator.model.DatabaseSchema;
import io.tidemark.operator.model.DatabaseSchemaStatus;
import io.tidemark.operator.model.DestructiveChange;
import io.tidemark.operator.model.Direction;
import io.tidemark.operator.model.PlanStatus;
import io.tidemark.operator.model.RehearsalStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * spec.approval Manual (every change) or OnDestructive (a change whose rehearsal on a schema-only
 * copy found something destructive, or could not run): a planned change waits until a person puts
 * the plan's digest in the annotation db.tidemark.io/approve. The digest covers what the change
 * would do (the image and its scripts' digest, from, to, the revisions, a baseline), so an approval
 * given for one plan never lets another run.
 */
final class ApprovalGate {
  /** Hex characters of the digest people copy: 64 bits, enough to tell plans apart. */
  static final int DIGEST_LENGTH = 16;

  private ApprovalGate() {}

  /** Whether the planned change needs an approval. */
  static boolean required(FlowContext ctx) {
    PlanStatus plan = ctx.status.getLastPlan();
    if (plan == null || (plan.getDirection() == Direction.NONE && plan.getBaseline() == null)) {
      return false;
    }
    ApprovalPolicy policy = ctx.resource().getSpec().getApproval();
    if (policy == ApprovalPolicy.Manual) {
      return true;
    }
    if (policy == ApprovalPolicy.OnDestructive) {
      // Without a rehearsal that ran and found nothing, nobody knows: a person decides.
      RehearsalStatus rehearsal = plan.getRehearsal();
      return rehearsal == null || !rehearsal.foundNothingDestructive();
    }
    return false;
  }

  /** Whether the annotation holds the digest of the plan in the status. */
  static boolean approved(FlowContext ctx) {
    return digest(ctx.status).equals(approvalGiven(ctx.resource()));
  }

  /**
   * The digest of the change the status's last plan describes: its image, the scripts' digest, the
   * revision it starts from and goes to, the direction, the revisions and a baseline.
   */
  static String digest(DatabaseSchemaStatus status) {
    PlanStatus plan = status.getLastPlan();
    List<String> parts = new ArrayList<>();
    parts.add("tidemark-plan-v1");
    parts.add(Objects.toString(plan.getImage(), ""));
    parts.add(Objects.toString(plan.getDigest(), ""));
    parts.add(Objects.toString(status.getCurrentRevision(), ""));
    parts.add(Objects.toString(status.getTargetRevision(), ""));
    parts.add(Objects.toString(plan.getDirection(), ""));
    parts.add(
        String.join(
            ",", status.getPendingRevisions() == null ? List.of() : status.getPendingRevisions()));
    parts.add(Objects.toString(plan.getBaseline(), ""));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(String.join("\n", parts).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, DIGEST_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  /** The value of db.tidemark.io/approve, trimmed; empty when unset. */
  static String approvalGiven(DatabaseSchema resource) {
    Map<String, String> annotations = resource.getMetadata().getAnnotations();
    String value = annotations == null ? null : annotations.get(DatabaseSchema.APPROVE_ANNOTATION);
    return value == null ? "" : value.strip();
  }

  /** The change waits: the plan in status.approval, the phase AwaitingApproval, an Event once. */
  static StepResult await(FlowContext ctx) {
    DatabaseSchemaStatus status = ctx.status;
    String digest = digest(status);
    ApprovalStatus approval = status.getApproval();
    if (approval == null || !digest.equals(approval.getDigest())) {
      approval = new ApprovalStatus();
      approval.setDigest(digest);
      approval.setFrom(status.getCurrentRevision());
      approval.setTo(status.getTargetRevision());
      approval.setDirection(
          status.getLastPlan().getDirection().name().toLowerCase(java.util.Locale.ROOT));
      approval.setRevisions(
          status.getPendingRevisions() == null
              ? null
              : new ArrayList<>(status.getPendingRevisions()));
      approval.setImage(status.getLastPlan().getImage());
      RehearsalStatus rehearsal = status.getLastPlan().getRehearsal();
      approval.setDestructive(
          rehearsal == null || !rehearsal.done()
              ? null
              : rehearsal.getDestructive() == null
                  ? List.of()
                  : new ArrayList<>(rehearsal.getDestructive()));
      approval.setRequestedAt(ctx.now().toString());
      status.setApproval(approval);
    }
    String given = approvalGiven(ctx.resource());
    String change = describe(status);
    String how =
        " Approve it with: kubectl annotate databaseschema "
            + ctx.snapshot.name()
            + " --overwrite "
            + DatabaseSchema.APPROVE_ANNOTATION
            + "="
            + digest;
    Reason reason;
    String message;
    if (given.isEmpty()) {
      reason = Reason.AWAITING_APPROVAL;
      message =
          "Waiting for approval (spec.approval is "
              + ctx.resource().getSpec().getApproval()
              + "): "
              + change
              + how;
    } else {
      reason = Reason.APPROVAL_MISMATCH;
      message =
          "The approval "
              + DatabaseSchema.APPROVE_ANNOTATION
              + "="
              + (given.length() > 64 ? given.substring(0, 64) + "..." : given)
              + " is not for this plan (digest "
              + digest
              + "; a new image or target makes a new plan): nothing runs. "
              + change
              + how;
    }
    if (ctx.show.awaitingApproval(reason, message)) {
      ctx.deps.events().normal(ctx.resource(), reason, message);
    }
    return StepResult.waitForEvents();
  }

  /** The approved change starts: when, in status.approval, and an Event. */
  static void markApproved(FlowContext ctx) {
    ApprovalStatus approval = ctx.status.getApproval();
    String digest = digest(ctx.status);
    if (approval == null
        || !digest.equals(approval.getDigest())
        || approval.getApprovedAt() != null) {
      return;
    }
    approval.setApprovedAt(ctx.now().toString());
    ctx.deps
        .events()
        .normal(
            ctx.resource(),
            Reason.APPROVED,
            "Plan " + digest + " approved: " + describe(ctx.status) + " Starting.");
  }

  private static String describe(DatabaseSchemaStatus status) {
    PlanStatus plan = status.getLastPlan();
    List<String> revisions =
        status.getPendingRevisions() == null ? List.of() : status.getPendingRevisions();
    String adopt =
        plan.getBaseline() == null
            ? ""
            : "adopt the existing schema at revision " + plan.getBaseline() + ", then ";
    String what =
        revisions.isEmpty()
            ? "record it"
            : (plan.getDirection() == Direction.DOWN ? "undo " : "apply ")
                + (revisions.size() == 1 ? "revision " : "revisions ")
                + RunRecords.listed(revisions);
    return adopt
        + what
        + " (from revision "
        + status.getCurrentRevision()
        + " to "
        + status.getTargetRevision()
        + ", image "
        + plan.getImage()
        + "). "
        + rehearsed(plan.getRehearsal());
  }

  /** What the rehearsal found, in a sentence. */
  private static String rehearsed(RehearsalStatus rehearsal) {
    if (rehearsal == null) {
      return "Not rehearsed.";
    }
    if (!rehearsal.done()) {
      return "Rehearsal skipped: " + rehearsal.getReason() + ".";
    }
    List<DestructiveChange> found =
        rehearsal.getDestructive() == null ? List.of() : rehearsal.getDestructive();
    if (found.isEmpty() && rehearsal.getTruncated() == null) {
      return "The rehearsal on a schema-only copy found nothing destructive.";
    }
    List<String> shown = found.stream().limit(5).map(DestructiveChange::toString).toList();
    int more =
        found.size()
            - shown.size()
            + (rehearsal.getTruncated() == null ? 0 : rehearsal.getTruncated());
    return "Destructive, from the rehearsal on a schema-only copy: "
        + String.join("; ", shown)
        + (more > 0 ? "; and " + more + " more (status.approval.destructive)" : "")
        + ".";
  }
}
