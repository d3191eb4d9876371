-- Run by Debian's lua5.4 (tests/debian/workloads/lua.test).
local function counter(step)
  local n = 0
  return function() n = n + step; return n end
end
local c1, c2 = counter(1), counter(10)
for _ = 1, 5 do c1(); c2() end
print("closures", c1(), c2())

local t = {}
for i = 1, 1000 do t[i] = (i * 7919) % 1009 end
table.sort(t, function(a, b) return a > b end)
print("sorted", t[1], t[2], t[500], t[1000], #t)
local m = {}
for w in io.lines("words.txt") do m[w] = (m[w] or 0) + 1 end
local keys = {}
for k in pairs(m) do keys[#keys + 1] = k end
table.sort(keys, function(a, b) if m[a] ~= m[b] then return m[a] > m[b] end return a < b end)
for i = 1, 5 do io.write(keys[i], "=", m[keys[i]], " ") end
print()
print(table.concat({1, 2, 3, "x"}, "-"), select("#", 1, nil, 3), #"héllo")

print(string.format("%5d|%-5s|%x|%X|%o|%e|%.3f|%g|%q|%5.1s|%c", 42, "ab", 255, 48879, 8,
  12345.678, math.pi, 1e20, "a\nb\0c", "xyz", 65))
print(string.format("%.17g %.17g %g %g", 0.1, 1 / 3, 2 ^ 53, -0.0))
print(("hello world from lua"):gsub("o", "0"), ("abc"):rep(3, ","), ("Hello"):upper(), ("x=1, y=22"):match("y=(%d+)"))
for k, v in string.gmatch("a=1, b=2, c=3", "(%w+)=(%w+)") do io.write(k, v, ";") end
print()
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, 7 // 2, -7 // 2, 7 % -3, 2 ^ 0.5)
print(math.tointeger(3.0), 3 | 5, 6 & 3, 1 << 62, ~0, 5 // 0.0, -5 % math.huge, math.floor(-3.5), math.fmod(-7, 3))
print(tostring(1e15), tostring(1e16), 10 / 2, 3 // 1, string.format("%d", 3.0), 0x7fffffffffffffff)

local co = coroutine.create(function(a, b)
  local s = a + b
  for i = 1, 3 do s = s + coroutine.yield(s, i) end
  return "done", s
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.resume(co, 10))
print(coroutine.resume(co, 100))
print(coroutine.resume(co, 1000))
print(coroutine.resume(co), coroutine.status(co))
local gen = coroutine.wrap(function() for i = 1, 5 do coroutine.yield(i * i) end end)
print(gen(), gen(), gen())

local ok, err = pcall(function() error({code = 42}) end)
print(ok, type(err), err.code)
print(pcall(function() local x = nil; return x.y end))
print(select(2, pcall(error, "msg", 0)))

local mt = {__add = function(a, b) return setmetatable({v = a.v + b.v}, getmetatable(a)) end,
            __tostring = function(s) return "V(" .. s.v .. ")" end,
            __index = function(_, k) return k .. "?" end}
local a, b = setmetatable({v = 1}, mt), setmetatable({v = 2}, mt)
print(tostring(a + b), a.missing)

local fib = {}
local function f(n) if n < 2 then return n end if fib[n] then return fib[n] end local r = f(n - 1) + f(n - 2); fib[n] = r; return r end
print(f(90))
local s = 0
for i = 1, 3000000 do s = s + i % 7 end
print("loop", s)
os.exit(4)
