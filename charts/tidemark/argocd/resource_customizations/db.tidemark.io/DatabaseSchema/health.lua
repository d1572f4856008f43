-- Argo CD health check for db.tidemark.io/DatabaseSchema.
-- Install: argocd-cm key resource.customizations.health.db.tidemark.io_DatabaseSchema
-- (charts/tidemark/README.md, docs/gitops.md). Tested by health_test.yaml, run by
-- io.tidemark.charts.ArgoHealthScriptTest.
--
--   Suspended    spec.suspend is true, or status.phase is Suspended or AwaitingApproval (a
--                change waits for a person's approval: spec.approval Manual)
--   Progressing  no status yet; status written for an older generation; phase Pending,
--                Planning, BackingUp, Migrating or RollingBack; Ready not (yet) True;
--                phase Failed for a transient cause that Tidemark retries by itself
--                (status.lastFailure.transientFailure, or reason ConnectionFailed, MigrationLockHeld,
--                CredentialsUnavailable, ImagePullFailed)
--   Degraded     phase Failed or Blocked (message: the Degraded condition's, else
--                status.lastFailure's)
--   Healthy      Ready condition True for the current generation
local hs = {}

-- Failures Tidemark retries with capped backoff, without a new spec or the retry annotation.
local retried = {ConnectionFailed = true, MigrationLockHeld = true, CredentialsUnavailable = true, ImagePullFailed = true}

local function condition(status, conditionType)
  if status == nil or status.conditions == nil then
    return nil
  end
  for _, c in ipairs(status.conditions) do
    if c.type == conditionType then
      return c
    end
  end
  return nil
end

local function messageOf(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    if c.reason ~= nil and c.reason ~= "" then
      return c.reason .. ": " .. c.message
    end
    return c.message
  end
  return fallback
end

local function revisionText(status)
  local current = status.currentRevision or "?"
  local target = status.targetRevision or "?"
  if current == target then
    return "schema at revision " .. current
  end
  return "schema at revision " .. current .. ", target " .. target
end

local spec = obj.spec or {}
local status = obj.status
local generation = nil
if obj.metadata ~= nil then
  generation = obj.metadata.generation
end

if spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended (spec.suspend is true): Tidemark starts no new Job"
  return hs
end

if status == nil or status.phase == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the Tidemark operator to report status"
  return hs
end

-- A status written for an older generation says nothing about the current spec.
if generation ~= nil and (status.observedGeneration == nil or status.observedGeneration < generation) then
  hs.status = "Progressing"
  hs.message = "Waiting for the Tidemark operator to observe generation " .. tostring(generation)
  return hs
end

local phase = status.phase

if phase == "Suspended" then
  hs.status = "Suspended"
  hs.message = "Suspended: Tidemark starts no new Job"
  return hs
end

if phase == "AwaitingApproval" then
  hs.status = "Suspended"
  hs.message = "Awaiting approval: " .. messageOf(condition(status, "Ready"), revisionText(status))
  return hs
end

if phase == "Failed" then
  local failure = status.lastFailure or {}
  local degraded = condition(status, "Degraded")
  local ready = condition(status, "Ready")
  local reason = failure.reason
  if (reason == nil or reason == "") and degraded ~= nil then
    reason = degraded.reason
  end
  if (reason == nil or reason == "") and ready ~= nil then
    reason = ready.reason
  end
  if failure.transientFailure == true or (reason ~= nil and retried[reason]) then
    hs.status = "Progressing"
    hs.message = "Retrying with backoff: " .. messageOf(degraded,
      messageOf(status.lastFailure, messageOf(ready, tostring(reason))))
    return hs
  end
end

if phase == "Failed" or phase == "Blocked" then
  hs.status = "Degraded"
  hs.message = phase .. ": " .. messageOf(condition(status, "Degraded"),
    messageOf(status.lastFailure, messageOf(condition(status, "Ready"), "see kubectl describe dbschema")))
  return hs
end

if phase == "Pending" or phase == "Planning" or phase == "BackingUp" or phase == "Migrating" or phase == "RollingBack" then
  hs.status = "Progressing"
  hs.message = phase .. ": " .. messageOf(condition(status, "Progressing"), revisionText(status))
  return hs
end

local ready = condition(status, "Ready")
if phase == "Ready" and ready ~= nil and ready.status == "True" then
  if generation ~= nil and ready.observedGeneration ~= nil and ready.observedGeneration ~= generation then
    hs.status = "Progressing"
    hs.message = "Ready condition is for generation " .. tostring(ready.observedGeneration) ..
      ", waiting for generation " .. tostring(generation)
    return hs
  end
  hs.status = "Healthy"
  hs.message = "Ready: " .. revisionText(status)
  return hs
end

local degraded = condition(status, "Degraded")
if degraded ~= nil and degraded.status == "True" then
  hs.status = "Degraded"
  hs.message = messageOf(degraded, "Degraded")
  return hs
end

hs.status = "Progressing"
hs.message = tostring(phase) .. ": " .. messageOf(ready, "waiting for the Ready condition")
return hs
