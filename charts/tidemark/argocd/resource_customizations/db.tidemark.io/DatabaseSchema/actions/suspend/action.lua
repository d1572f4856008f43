-- Sets spec.suspend to true: Tidemark lets a running Job finish and starts no new one.
-- With automated sync and self-heal, Argo CD reverts it to what Git says: commit
-- spec.suspend instead, or turn self-heal off while the resource is suspended.
if obj.spec == nil then
  obj.spec = {}
end
obj.spec.suspend = true
return obj
