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

function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format(
      'BENCH_RESULT {"label":"%s","requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
      '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
      '"non2xx":%d,"socket_errors":%d}\n',
      os.getenv("BENCH_LABEL") or "cti", summary.requests, secs,
      summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
      e.status, e.connect + e.read + e.write + e.timeout))
end
