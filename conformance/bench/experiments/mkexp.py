import sys, re
# usage: mkexp.py name key Type < module > exp.luau
name, key, ty = sys.argv[1:4]
src = sys.stdin.read()
src = src.replace("--!strict\n", "")
i = src.rindex("return Codec")
body = src[:i]
header = "local H, clock, C, runs, minT = ...\nH.setClock(clock)\n"
footer = f'''
local v = C.{key}_value
local ref = C.{key}.{ty}.encode(v)
local mine = Codec.{ty}.encode(v)
assert(buffer.tostring(ref) == buffer.tostring(mine), "bytes differ")
local back = Codec.{ty}.decode(ref)
assert(buffer.tostring(C.{key}.{ty}.encode(back)) == buffer.tostring(ref), "decode differs")
return {{
  {{ "{name} encode", H.measure(Codec.{ty}.encode, v, runs, minT) }},
  {{ "{name} decode", H.measure(Codec.{ty}.decode, ref, runs, minT) }},
}}
'''
# keep --!native at top
j = body.index("local Codec = {}")
print(body[:j] + header + body[j:] + footer)
