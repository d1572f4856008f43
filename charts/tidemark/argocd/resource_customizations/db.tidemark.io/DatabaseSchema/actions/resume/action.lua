-- Sets spec.suspend to false: Tidemark plans again and goes on to the target revision.
if obj.spec == nil then
  obj.spec = {}
end
obj.spec.suspend = false
return obj
