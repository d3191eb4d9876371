-- luabench.lua — a Lua workload for `make bench`: table-heavy code
-- (fannkuch permutations), closures and string building, a small
-- integer-keyed hash table, and a floating-point loop printed with %.6f.
-- Deterministic.  arg[1] scales the work in percent (default 100).
local scale = tonumber(arg and arg[1]) or 100

local function fannkuch(n)
  local perm, perm1, count = {}, {}, {}
  local maxflips, checksum, sign = 0, 0, 1
  for i = 0, n - 1 do perm1[i] = i end
  local r = n
  while true do
    while r ~= 1 do count[r - 1] = r; r = r - 1 end
    for i = 0, n - 1 do perm[i] = perm1[i] end
    local flips = 0
    local k = perm[0]
    while k ~= 0 do
      local i, j = 0, k
      while i < j do perm[i], perm[j] = perm[j], perm[i]; i = i + 1; j = j - 1 end
      flips = flips + 1
      k = perm[0]
    end
    if flips > maxflips then maxflips = flips end
    checksum = checksum + sign * flips
    sign = -sign
    while true do
      if r == n then return checksum, maxflips end
      local p0 = perm1[0]
      for i = 0, r - 1 do perm1[i] = perm1[i + 1] end
      perm1[r] = p0
      count[r] = count[r] - 1
      if count[r] > 0 then break end
      r = r + 1
    end
  end
end

local function counter(step)
  local n = 0
  return function() n = n + step; return n end
end

local function strings(count)
  local parts, c = {}, counter(3)
  for i = 1, count do
    parts[#parts + 1] = string.format("%x:%d", c(), i % 97)
    if #parts == 64 then parts = { table.concat(parts, ",", 1, 8):upper():sub(1, 16) } end
  end
  return table.concat(parts, ";")
end

local function hashing(count)
  local t, x = {}, 12345
  for _ = 1, count do
    x = (x * 1103515245 + 12345) % 2147483648
    local key = x % 4093
    t[key] = (t[key] or 0) + 1
  end
  local distinct, maxv = 0, 0
  for _, v in pairs(t) do
    distinct = distinct + 1
    if v > maxv then maxv = v end
  end
  return distinct, maxv
end

local function integrate(steps)
  local sum, h = 0.0, 1.0 / steps
  for i = 0, steps - 1 do
    local x = (i + 0.5) * h
    sum = sum + 4.0 / (1.0 + x * x)
  end
  return sum * h
end

local n = 9
local reps = math.max(1, scale // 100)
local cs, mf
for _ = 1, reps do cs, mf = fannkuch(n) end
print(string.format("fannkuch(%d) checksum %d maxflips %d", n, cs, mf))
print("strings " .. strings(math.max(1, 200000 * scale // 100)))
print(string.format("hashing distinct %d max %d", hashing(math.max(1, 1000000 * scale // 100))))
print(string.format("pi %.6f", integrate(math.max(1, 2000000 * scale // 100))))
