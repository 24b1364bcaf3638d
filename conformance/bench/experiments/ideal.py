import re, subprocess
s = open('arena.luau').read()
a = s.index("enc_Snapshot = function")
b = s.index("\nend\n", a) + 5
ideal = '''enc_Snapshot = function(v: Snapshot, b: buffer, p: number, acc: number, na: number, bp: number): (buffer, number, number, number, number)
    local x1 = v.tick
    if x1 ~= x1 // 1 or x1 < 0 or x1 > 4294967295 then encErr("Snapshot.tick", "bad") end
    local list2 = v.players
    local n3 = #list2
    if n3 > 64 then encErr("Snapshot.players", "too long") end
    if bp - p < 9 + n3 * 18 then b, bp = grow(b, p, bp, 9 + n3 * 18) end
    buffer.writeu32(b, p, x1)
    p += 4
    acc = bit32.bor(acc, bit32.lshift(n3, na))
    na += 7
    for i = 1, n3 do
        local s = list2[i]
        local id = s.id
        if id ~= id // 1 or id < 0 or id > 65535 then encErr("PlayerState.id", "bad") end
        buffer.writeu16(b, p, id)
        p += 2
        local pos = s.position
        local qx = math.floor((pos.X + 2048) * 64 + 0.5)
        if qx ~= qx or qx <= 0 then qx = 0 elseif qx >= 262143 then qx = 262143 end
        local qy = math.floor((pos.Y + 2048) * 64 + 0.5)
        if qy ~= qy or qy <= 0 then qy = 0 elseif qy >= 262143 then qy = 262143 end
        local qz = math.floor((pos.Z + 2048) * 64 + 0.5)
        if qz ~= qz or qz <= 0 then qz = 0 elseif qz >= 262143 then qz = 262143 end
        local qw = math.floor(vector.create(s.yaw, 0, 0).x / 0.006135923151542565 + 0.5)
        if qw ~= qw or qw <= 0 then qw = 0 elseif qw >= 1023 then qw = 1023 end
        local h = s.health
        if h ~= h // 1 or h < 0 or h > 100 then encErr("PlayerState.health", "bad") end
        local st = TAGS_MoveState[s.state]
        if st == nil then encErr("PlayerState.state", "bad") end
        local f = s.flags
        local vel = s.velocity
        local vx = math.floor((vel.X + 128) * 16 + 0.5)
        if vx ~= vx or vx <= 0 then vx = 0 elseif vx >= 4095 then vx = 4095 end
        local vy = math.floor((vel.Y + 128) * 16 + 0.5)
        if vy ~= vy or vy <= 0 then vy = 0 elseif vy >= 4095 then vy = 4095 end
        local vz = math.floor((vel.Z + 128) * 16 + 0.5)
        if vz ~= vz or vz <= 0 then vz = 0 elseif vz >= 4095 then vz = 4095 end
        -- 114 bits: qx18 qy18 qz18 qw10 h7 st3 f4 vx12 vy12 vz12 as 4 groups
        local groups = {}
        local g1 = qx -- 18
        local g2 = bit32.bor(qy, bit32.lshift(bit32.band(qz, 16383), 18)) -- 18 + 14 = 32
        local g3 = bit32.bor(bit32.rshift(qz, 14), bit32.lshift(qw, 4), bit32.lshift(h, 14), bit32.lshift(st, 21),
            if f[1] then 16777216 else 0, if f[2] then 33554432 else 0, if f[3] then 67108864 else 0, if f[4] then 134217728 else 0) -- 4+10+7+3+4 = 28
        local g4 = bit32.bor(vx, bit32.lshift(vy, 12)) -- 24
        -- push g1 (18)
        acc = bit32.bor(acc, bit32.lshift(g1, na)); na += 18
        if na >= 32 then bp -= 4; buffer.writeu32(b, bp, bit32.byteswap(acc)); na -= 32; acc = bit32.rshift(g1, 18 - na) end
        acc = bit32.bor(acc, bit32.lshift(g2, na)); na += 32
        if na >= 32 then bp -= 4; buffer.writeu32(b, bp, bit32.byteswap(acc)); na -= 32; acc = if na == 0 then 0 else bit32.rshift(g2, 32 - na) end
        acc = bit32.bor(acc, bit32.lshift(g3, na)); na += 28
        if na >= 32 then bp -= 4; buffer.writeu32(b, bp, bit32.byteswap(acc)); na -= 32; acc = bit32.rshift(g3, 28 - na) end
        acc = bit32.bor(acc, bit32.lshift(g4, na)); na += 24
        if na >= 32 then bp -= 4; buffer.writeu32(b, bp, bit32.byteswap(acc)); na -= 32; acc = bit32.rshift(g4, 24 - na) end
        acc = bit32.bor(acc, bit32.lshift(vz, na)); na += 12
        if na >= 32 then bp -= 4; buffer.writeu32(b, bp, bit32.byteswap(acc)); na -= 32; acc = bit32.rshift(vz, 12 - na) end
    end
    return b, p, acc, na, bp
end
'''
s2 = s[:a] + ideal + s[b:]
s3 = s2.replace("        local groups = {}\n", "")
for name, src in [("ideal_with_table_alloc", s2), ("ideal", s3)]:
    out = subprocess.run(["python3", "mkexp.py", name, "arena", "Snapshot"], input=src, capture_output=True, text=True).stdout
    open(f"exp/{name}.luau", "w").write(out)
