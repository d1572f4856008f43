-- Sets the annotation db.tidemark.io/retry to a new value (the time, in Unix seconds):
-- Tidemark starts the flow again, with new Job names, after a failure that waits for a person
-- (a failed migration, backup or rollback), or after a rollback that left the resource Blocked.
-- The same as: kubectl annotate dbschema NAME db.tidemark.io/retry="$(date +%s)" --overwrite
local key = "db.tidemark.io/retry"
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
local now = string.format("%d", math.floor(os.time()))
local value = now
local previous = obj.metadata.annotations[key]
if previous ~= nil then
  -- Twice in the same second (or after a value from a clock ahead of this one): count on from
  -- the previous value, so that the value is always one Tidemark has not seen.
  local seconds, count = string.match(previous, "^(%d+)-?(%d*)$")
  if seconds ~= nil and tonumber(seconds) >= tonumber(now) then
    value = seconds .. "-" .. tostring((tonumber(count) or 0) + 1)
  end
end
obj.metadata.annotations[key] = value
return obj
