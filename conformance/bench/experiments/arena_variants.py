import re, subprocess
src = open('arena.luau').read()
def fn(name):
    m = re.search(r'^' + name + r' = function.*?^end\n', src, re.S | re.M)
    return m.group(0)

def v_roundf32(s):
    s = s.replace("roundF32(x11)", "vector.create(x11, 0, 0).x")
    s = s.replace("roundF32(0 + v9 * 0.006135923151542565)", "vector.create(0 + v9 * 0.006135923151542565, 0, 0).x")
    return s

def v_inline_state(s):
    s = s.replace("    b, p, acc, na, bp = enc_MoveState(x15, b, p, acc, na, bp)\n",
"""    local tg = TAGS_MoveState[x15]
    if tg == nil then encErr("MoveState", "unknown variant") end
    acc = bit32.bor(acc, bit32.lshift(tg, na))
    na += 3
    if na >= 32 then
        bp -= 4
        buffer.writeu32(b, bp, bit32.byteswap(acc))
        na -= 32
        acc = bit32.rshift(tg, 3 - na)
    end
""")
    s = s.replace("""    ctxT[d] = ".state"
    local x12: MoveState, np13: number, nq14: number = dec_MoveState(b, p, q, E)
    p, q = np13, nq14
""", """    wa = E - 4 - bit32.rshift(q, 3)
    wx = bit32.byteswap(if wa >= 0 then buffer.readu32(b, wa) else rwin(b, wa))
    ws = bit32.band(q, 7)
    local st = bit32.extract(wx, ws, 3)
    lim = E - bit32.rshift(q + 10, 3)
    if p > lim then fail("UnexpectedEnd", ".state", p, q) end
    if st >= 6 then fail("InvalidTag", ".state", p, q + 3) end
    local x12 = NAMES_MoveState[st + 1]
    q += 3
""")
    return s

def v_flags(s):
    a = s.index("    for i18 = 1, 4 do")
    b = s.index("    local x22 = v.velocity")
    s = s[:a] + """    local fg = bit32.bor(if arr17[1] then 1 else 0, if arr17[2] then 2 else 0, if arr17[3] then 4 else 0, if arr17[4] then 8 else 0)
    if bp - p < 5 then b, bp = grow(b, p, bp, 5) end
    acc = bit32.bor(acc, bit32.lshift(fg, na))
    na += 4
    if na >= 32 then
        bp -= 4
        buffer.writeu32(b, bp, bit32.byteswap(acc))
        na -= 32
        acc = bit32.rshift(fg, 4 - na)
    end
""" + s[b:]
    a = s.index("    local l15: {boolean} = table.create(4)")
    b = s.index("    wa = E - 4 - bit32.rshift(q, 3)\n    wx = bit32.byteswap(if wa >= 0 then buffer.readu32(b, wa) else rwin(b, wa))\n    ws = bit32.band(q, 7)\n    local v20", a)
    s = s[:a] + """    wa = E - 4 - bit32.rshift(q, 3)
    wx = bit32.byteswap(if wa >= 0 then buffer.readu32(b, wa) else rwin(b, wa))
    ws = bit32.band(q, 7)
    local fl = bit32.extract(wx, ws, 4)
    lim = E - bit32.rshift(q + 11, 3)
    if p > lim then fail("UnexpectedEnd", ".flags", p, q) end
    local l15 = { bit32.btest(fl, 1), bit32.btest(fl, 2), bit32.btest(fl, 4), bit32.btest(fl, 8) }
    q += 4
""" + s[b:]
    return s

def v_window(s):
    return s.replace("if wa >= 0 then buffer.readu32(b, wa) else rwin(b, wa)", "buffer.readu32(b, wa)")

def v_nocheck(s):
    return "\n".join(l for l in s.split("\n") if not (l.strip().startswith("if ") and ("then fail(" in l or "then encErr(" in l)) and not l.strip().startswith("ctxT[") and not l.strip().startswith("ctxI[")) + "\n"

variants = [
  ("a0 as is", []),
  ("a1 roundF32 -> vector.create(x,0,0).x", [v_roundf32]),
  ("a2 MoveState inlined", [v_inline_state]),
  ("a3 flags as one 4-bit group", [v_flags]),
  ("a4 window read without rwin branch", [v_window]),
  ("a5 = a1+a2+a3", [v_roundf32, v_inline_state, v_flags]),
  ("a6 = a5 + no checks/ctx", [v_roundf32, v_inline_state, v_flags, v_nocheck]),
]
for i, (name, fs) in enumerate(variants):
    s = src
    for f in fs:
        s2 = f(s)
        assert s2 != s, (name, f)
        s = s2
    out = subprocess.run(["python3", "mkexp.py", name.replace(" ", "_"), "arena", "Snapshot"], input=s, capture_output=True, text=True).stdout
    open(f"exp/arena_{i}.luau", "w").write(out)
