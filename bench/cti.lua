-- wrk script: the telephone exchange's CTI push, POST /api/v1/cti/{token}, form-encoded
-- as sipgate sends it. Each request is a new event: every call gets newCall, answer and
-- hangup in turn, with call ids unique per wrk thread, so every request is a real write
-- (read the call, fold the event in, insert or update) and a durable commit.
--
--   BENCH_TOKEN   a pbx token (required)
--   BENCH_LABEL   label echoed in the result line
--
-- done() prints the same machine-readable BENCH_RESULT line as post.lua.

local token = os.getenv("BENCH_TOKEN") or ""
local path = "/api/v1/cti/" .. token
local events = { "newCall", "answer", "hangup" }
local threads = {}

local run = os.time()

function setup(thread)
   thread:set("tid", #threads + 1)
   thread:set("run", run)
   table.insert(threads, thread)
end

local n = 0

function request()
   local call = math.floor(n / 3)
   local kind = events[(n % 3) + 1]
   n = n + 1
   local id = string.format("bench-%d-%d-%d", run or 0, tid or 0, call)
   local body = "event=" .. kind .. "&callId=" .. id .. "&direction=in"
   if kind == "newCall" then
      body = body .. string.format("&from=%%2B3259%06d&to=08001840&queue=o-punt&user%%5B%%5D=An&user%%5B%%5D=Bert", call % 1000000)
   elseif kind == "answer" then
      body = body .. "&user%5B%5D=An&answeringNumber=201"
   else
      body = body .. "&cause=normalClearing"
   end
   return wrk.format("POST", path, {
      ["Content-Type"] = "application/x-www-form-urlencoded",
      ["Accept"] = "application/json",
   }, body)
end

-- The shared result line (bench/result.lua), found beside this script.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "result.lua")
done = bench_done("cti")
