//! The fixed Luau helpers every generated module starts with.

/// Module-level state and helpers shared by all generated codecs.
pub const PRELUDE: &str = r##"local Codec = {}

-- Encoder scratch: the byte section grows from offset 0, the bit section's
-- flushed 32-bit words grow backward from the end. Reused across messages.
local scratch: buffer = buffer.create(1024)
local stagedP, stagedBp, stagedLen = 0, 0, 0
local eInst: {any} = {}
local eInstN = 0

local function grow(b: buffer, p: number, bp: number, need: number): (buffer, number)
    local old = buffer.len(b)
    local tail = old - bp
    local size = old * 2
    while size - p - tail < need do
        size *= 2
    end
    local nb = buffer.create(size)
    buffer.copy(nb, 0, b, 0, p)
    buffer.copy(nb, size - tail, b, bp, tail)
    return nb, size - tail
end

-- POW2[n + 1] = 2^n: bit runs are pushed with exact double arithmetic
-- (`word * 2^na`), which native code runs faster than variable shifts.
local POW2: {number} = table.create(32, 1)
for n = 0, 31 do
    POW2[n + 1] = 2 ^ n
end

-- The codecs let `bit32` truncate non-integers. A Luau built by MSVC for
-- 32-bit x86 rounds instead; refuse it here rather than corrupt messages.
-- (A run-time value: the compiler folds constant `bit32` calls.)
if bit32.bor(POW2[2] + 0.75, 0) ~= 2 then
    error("skyrocket: this Luau build's bit32 rounds non-integers; the generated codecs need truncation", 0)
end

local function flushBits(b: buffer, acc: number, na: number, bp: number): number
    while na > 0 do
        bp -= 1
        buffer.writeu8(b, bp, bit32.band(acc, 255))
        acc = bit32.rshift(acc, 8)
        na -= 8
    end
    return bp
end

local function finishEncode(b: buffer, p: number, acc: number, na: number, bp: number): buffer
    bp = flushBits(b, acc, na, bp)
    scratch = b
    local tail = buffer.len(b) - bp
    local out = buffer.create(p + tail)
    buffer.copy(out, 0, b, 0, p)
    buffer.copy(out, p, b, bp, tail)
    return out
end

local function finishStage(b: buffer, p: number, acc: number, na: number, bp: number): number
    bp = flushBits(b, acc, na, bp)
    scratch = b
    stagedP = p
    stagedBp = bp
    stagedLen = p + buffer.len(b) - bp
    return stagedLen
end

local function copyStaged(target: buffer, offset: number): number
    local p = stagedP
    buffer.copy(target, offset, scratch, 0, p)
    buffer.copy(target, offset + p, scratch, stagedBp, stagedLen - p)
    return offset + stagedLen
end

local function encErr(path: string, msg: string)
    error("skyrocket: cannot encode " .. path .. ": " .. msg, 0)
end

-- f32 rounding is `vector.create(x, 0, 0).x` inline: vector components
-- are binary32 (round to nearest even, as buffer.writef32).

local function roundEven(y: number): number
    local f = math.floor(y)
    local d = y - f
    if d > 0.5 or (d == 0.5 and f % 2 == 1) then
        return f + 1
    end
    return f
end

-- binary64 -> binary16 bits, round to nearest even (spec 2.3).
local function toHalf(x: number): number
    if x ~= x then
        return 0x7E00
    end
    local sign = 0
    if x < 0 or (x == 0 and 1 / x < 0) then
        sign = 0x8000
        x = -x
    end
    if x == math.huge then
        return sign + 0x7C00
    end
    if x < 6.103515625e-05 then
        return sign + roundEven(x * 16777216)
    end
    local m, e = math.frexp(x)
    local r = roundEven(m * 2048)
    if r == 2048 then
        r = 1024
        e += 1
    end
    local ex = e + 14
    if ex >= 31 then
        return sign + 0x7C00
    end
    return sign + ex * 1024 + (r - 1024)
end

local function fromHalf(h: number): number
    local e = bit32.extract(h, 10, 5)
    local m = bit32.band(h, 1023)
    local v
    if e == 0 then
        v = math.ldexp(m, -24)
    elseif e == 31 then
        v = if m == 0 then math.huge else 0 / 0
    else
        v = math.ldexp(1024 + m, e - 25)
    end
    if h >= 0x8000 then
        return -v
    end
    return v
end

local function color8(c: number): number
    local l = math.floor(c * 255 + 0.5)
    if l ~= l or l <= 0 then
        return 0
    elseif l >= 255 then
        return 255
    end
    return l
end

-- Offset of a safe integer from a 64-bit bound given as (hi, lo) words.
local function wideSub(x: number, loH: number, loL: number): (number, number)
    local xl = x % 4294967296
    local xh = (x - xl) / 4294967296
    local ol = xl - loL
    local oh = xh - loH
    if ol < 0 then
        ol += 4294967296
        oh -= 1
    end
    return ol, oh
end

local function wideAdd(ol: number, oh: number, loL: number, loH: number): number?
    local vl = ol + loL
    local vh = oh + loH
    if vl >= 4294967296 then
        vl -= 4294967296
        vh += 1
    end
    if vh >= 2097152 or vh < -2097152 or (vh == -2097152 and vl == 0) then
        return nil
    end
    return vh * 4294967296 + vl
end

-- First varint group and the rest of a zigzag-mapped safe integer.
local function zigzag64(v: number): (number, number)
    local m = math.abs(v)
    local r = m % 64
    local h = (m - r) / 64
    if v >= 0 then
        return 2 * r, h
    elseif r >= 1 then
        return 2 * r - 1, h
    end
    return 127, h - 1
end

-- Smallest-three rotation (spec 5.1), in the reference implementation's
-- binary64 operation order.
local HALF_RANGE = 0.7071067811865476
local FULL_RANGE = 2 * HALF_RANGE
-- Levels 0..=ROT_MAX: an even maximum puts 0 exactly on level ROT_MAX / 2.
local ROT_MAX = 32766

local function rotLevel(c: number): number
    local l = math.floor((c + HALF_RANGE) / FULL_RANGE * ROT_MAX + 0.5)
    if l ~= l or l <= 0 then
        return 0
    elseif l >= ROT_MAX then
        return ROT_MAX
    end
    return l
end

local function encRot(m00: number, m01: number, m02: number, m10: number, m11: number, m12: number, m20: number, m21: number, m22: number): (number, number)
    local w, x, y, z
    local t = m00 + m11 + m22
    if t > 0 then
        local s = math.sqrt(t + 1) * 2
        w, x, y, z = s / 4, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s
    elseif m00 > m11 and m00 > m22 then
        local s = math.sqrt(1 + m00 - m11 - m22) * 2
        w, x, y, z = (m21 - m12) / s, s / 4, (m01 + m10) / s, (m02 + m20) / s
    elseif m11 > m22 then
        local s = math.sqrt(1 + m11 - m00 - m22) * 2
        w, x, y, z = (m02 - m20) / s, (m01 + m10) / s, s / 4, (m12 + m21) / s
    else
        local s = math.sqrt(1 + m22 - m00 - m11) * 2
        w, x, y, z = (m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, s / 4
    end
    local n = math.sqrt(w * w + x * x + y * y + z * z)
    if n ~= n or n == 0 then
        w, x, y, z = 1, 0, 0, 0
    else
        w, x, y, z = w / n, x / n, y / n, z / n
    end
    local li, lv = 0, math.abs(w)
    if math.abs(x) > lv then
        li, lv = 1, math.abs(x)
    end
    if math.abs(y) > lv then
        li, lv = 2, math.abs(y)
    end
    if math.abs(z) > lv then
        li = 3
    end
    local big = if li == 0 then w elseif li == 1 then x elseif li == 2 then y else z
    if big < 0 then
        w, x, y, z = -w, -x, -y, -z
    end
    local a, c, e
    if li == 0 then
        a, c, e = x, y, z
    elseif li == 1 then
        a, c, e = w, y, z
    elseif li == 2 then
        a, c, e = w, x, z
    else
        a, c, e = w, x, y
    end
    return li + rotLevel(a) * 4 + rotLevel(c) * 131072, rotLevel(e)
end

local function decRot(li: number, l1: number, l2: number, l3: number): (number, number, number, number, number, number, number, number, number)
    local a = l1 / ROT_MAX * FULL_RANGE - HALF_RANGE
    local c = l2 / ROT_MAX * FULL_RANGE - HALF_RANGE
    local e = l3 / ROT_MAX * FULL_RANGE - HALF_RANGE
    local sum = 0 + a * a + c * c + e * e
    local big = math.sqrt(math.max(1 - sum, 0))
    local w, x, y, z
    if li == 0 then
        w, x, y, z = big, a, c, e
    elseif li == 1 then
        w, x, y, z = a, big, c, e
    elseif li == 2 then
        w, x, y, z = a, c, big, e
    else
        w, x, y, z = a, c, e, big
    end
    return 1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
        2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
        2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)
end

-- Decoder state: the field path of the value being decoded is rebuilt from
-- these only when an error is raised.
local dRoot = ""
local dBase = 0
local dDepth = 0
local dInst: {any} = {}
local dInstN = 0
local ctxT: {string} = {}
local ctxI: {number} = {}

local function expand(t: string, i1: number?, i2: number?, i3: number?, i4: number?): string
    local n = 0
    return (string.gsub(t, "#", function(): string
        n += 1
        local v = if n == 1 then i1 elseif n == 2 then i2 elseif n == 3 then i3 elseif n == 4 then i4 else nil
        return if v ~= nil then tostring(v) else "?"
    end))
end

local function fail(kind: string, tmpl: string, p: number, q: number, i1: number?, i2: number?, i3: number?, i4: number?)
    local parts = { dRoot }
    for d = 1, dDepth - 1 do
        local k = d * 4
        table.insert(parts, expand(ctxT[d] or "", ctxI[k + 1], ctxI[k + 2], ctxI[k + 3], ctxI[k + 4]))
    end
    table.insert(parts, expand(tmpl, i1, i2, i3, i4))
    error(string.format("%s: %s at byte %d (bit-section bit %d)", table.concat(parts), kind, p - dBase, q), 0)
end

-- A 32-bit window read that may start before the buffer (bytes there read as 0).
local function rwin(b: buffer, a: number): number
    local x = 0
    for i = 0, 3 do
        if a + i >= 0 then
            x += buffer.readu8(b, a + i) * 256 ^ i
        end
    end
    return x
end

-- WSCALE[s + 1] = 2^-s: scales a decoder window by its bit offset.
local WSCALE: {number} = { 1, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625, 0.0078125 }

local function finishDecode(b: buffer, p: number, q: number, E: number)
    local t = bit32.rshift(q + 7, 3)
    if p + t ~= E then
        fail("TrailingBytes", "", p, q)
    end
    local used = bit32.band(q, 7)
    if used ~= 0 and bit32.rshift(buffer.readu8(b, E - t), used) ~= 0 then
        fail("NonCanonical", "", p, q)
    end
end

local function checkRange(b: any, offset: any, length: any): (number, number)
    if typeof(b) ~= "buffer" then
        error("skyrocket: expected a buffer, got " .. typeof(b), 0)
    end
    local o = if offset == nil then 0 else offset
    local n = if length == nil then buffer.len(b) - o else length
    if type(o) ~= "number" or type(n) ~= "number" or o ~= o // 1 or n ~= n // 1 or o < 0 or n < 0 or o + n > buffer.len(b) then
        error("skyrocket: offset/length outside the buffer", 0)
    end
    return o, n
end
"##;
