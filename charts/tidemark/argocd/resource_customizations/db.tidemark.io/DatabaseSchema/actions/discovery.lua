-- Argo CD resource actions of db.tidemark.io/DatabaseSchema (argocd-cm key
-- resource.customizations.actions.db.tidemark.io_DatabaseSchema; docs/gitops.md).
--   retry    sets the annotation db.tidemark.io/retry to a new value: Tidemark runs the flow
--            again (a failed step, or a failed rollback) without a change of the spec
--   suspend  sets spec.suspend to true: Tidemark starts no new Job
--   resume   sets spec.suspend to false
--   approve  sets the annotation db.tidemark.io/approve to status.approval.digest: the change
--            waiting in phase AwaitingApproval (spec.approval Manual) runs
-- Tested by action_test.yaml, run by io.tidemark.charts.ArgoHealthScriptTest.
local actions = {}
local suspended = obj.spec ~= nil and obj.spec.suspend == true
actions["retry"] = {["iconClass"] = "fa fa-fw fa-redo", ["displayName"] = "Retry", ["disabled"] = suspended}
actions["suspend"] = {["iconClass"] = "fa fa-fw fa-pause-circle", ["displayName"] = "Suspend", ["disabled"] = suspended}
actions["resume"] = {["iconClass"] = "fa fa-fw fa-play-circle", ["displayName"] = "Resume", ["disabled"] = not suspended}
local awaiting = obj.status ~= nil and obj.status.phase == "AwaitingApproval"
  and obj.status.approval ~= nil and obj.status.approval.digest ~= nil
actions["approve"] = {["iconClass"] = "fa fa-fw fa-check-circle", ["displayName"] = "Approve", ["disabled"] = not awaiting}
return actions
