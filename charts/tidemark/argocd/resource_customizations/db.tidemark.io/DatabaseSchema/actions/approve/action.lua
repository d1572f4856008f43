-- Approves the change a DatabaseSchema with spec.approval Manual waits for: sets the annotation
-- db.tidemark.io/approve to the digest of its plan (status.approval.digest), which Tidemark
-- compares with the plan it has; a plan made after the one shown (a new image or target) has
-- another digest and waits for its own approval.
-- The same as: kubectl annotate dbschema NAME db.tidemark.io/approve=<status.approval.digest> --overwrite
if obj.status == nil or obj.status.approval == nil or obj.status.approval.digest == nil then
  error("nothing to approve: status.approval.digest is not set", 0)
end
if obj.metadata.annotations == nil then
  obj.metadata.annotations = {}
end
obj.metadata.annotations["db.tidemark.io/approve"] = obj.status.approval.digest
return obj
