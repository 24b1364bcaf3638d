"""Times variants of a generated codec module in one `luau-bench --eval` file.

Each variant is a whole module source (an edited copy of `luau-bench --dump
KEY`); their timed loops alternate, so a change in the machine's state hits
all of them alike. Usage from Python:

    from multi import write_eval
    src = open("arena.luau").read()
    write_eval("exp.luau", "arena", "Snapshot", "decode",
               [("as is", src), ("edited", src.replace(a, b))])

then `luau-bench --eval exp.luau --runs 15`. With check=True every variant
must encode the workload's value to the generated module's bytes and decode
them back.
"""


def _module_body(source):
    source = source.replace("--!strict\n", "").replace("--!native\n", "")
    i = source.rindex("return Codec")
    return source[:i] + "return Codec\n"


def write_eval(path, key, type_name, which, variants, check=True):
    out = ["--!native", "local H, clock, C, runs, minT = ...", "local mods = {}"]
    for name, source in variants:
        out.append(
            f"mods[#mods + 1] = {{ name = {name!r}, codec = (function()\n"
            f"{_module_body(source)}\nend)() }}"
        )
    out.append(f'''
local v = C.{key}_value
local ref = C.{key}.{type_name}.encode(v)
for _, m in mods do
    if {str(check).lower()} then
        local mine = m.codec.{type_name}.encode(v)
        assert(buffer.tostring(ref) == buffer.tostring(mine), m.name .. ": bytes differ")
        local back = m.codec.{type_name}.decode(ref)
        assert(buffer.tostring(C.{key}.{type_name}.encode(back)) == buffer.tostring(ref), m.name .. ": decode differs")
    end
    m.f = m.codec.{type_name}[{which!r}]
    m.arg = if {which!r} == "decode" then ref else v
end
local function loop(f, arg, iters)
    local t0 = clock()
    for _ = 1, iters do f(arg) end
    return clock() - t0
end
for _, m in mods do
    local iters = 1
    while loop(m.f, m.arg, iters) < minT do iters *= 2 end
    m.iters = iters
    m.best = math.huge
end
for _ = 1, runs do
    for _, m in mods do
        m.best = math.min(m.best, loop(m.f, m.arg, m.iters))
    end
end
local r = {{}}
for _, m in mods do
    r[#r + 1] = {{ m.name .. " {which}", m.best / m.iters * 1e9 }}
end
return r
''')
    with open(path, "w") as f:
        f.write("\n".join(out))
