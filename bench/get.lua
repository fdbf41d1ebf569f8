-- wrk script: GET /api/v1/signals/{reference} over references that exist.
--
--   BENCH_REFS   file with one reference per line (intake.sh creates them in
--                a warm-up step: 200 POSTs to the server under test). Each wrk
--                thread walks the whole list round-robin from its own offset,
--                so every request is a hit (200) on a different row.
--   BENCH_REF    a single fixed reference, used when BENCH_REFS is not set
--   BENCH_TOKEN  optional bearer token (the service needs a staff role for
--                reads; the baseline ignores it)
--   BENCH_LABEL  label echoed in the result line
--
-- done() prints the same BENCH_RESULT line as post.lua.

local refs = {}
local file = os.getenv("BENCH_REFS")
if file and file ~= "" then
   for line in io.lines(file) do
      local r = line:match("^%s*(.-)%s*$")
      if r ~= "" then refs[#refs + 1] = r end
   end
else
   refs[1] = assert(os.getenv("BENCH_REF"), "set BENCH_REFS or BENCH_REF")
end
assert(#refs > 0, "no references in " .. tostring(file))

wrk.method = "GET"
wrk.headers["Accept"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and token ~= "" then
   wrk.headers["Authorization"] = "Bearer " .. token
end

-- Requests are pre-formatted once; request() only picks the next one.
local reqs = {}
for i, r in ipairs(refs) do
   reqs[i] = wrk.format(nil, "/api/v1/signals/" .. r)
end

local next_thread_id = 0
function setup(thread)
   thread:set("thread_id", next_thread_id)
   next_thread_id = next_thread_id + 1
end

local i = nil
function request()
   if i == nil then i = ((thread_id or 0) * 7919) % #reqs end
   i = i % #reqs + 1
   return reqs[i]
end

function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format(
      'BENCH_RESULT {"label":"%s","requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
      '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
      '"non2xx":%d,"socket_errors":%d}\n',
      os.getenv("BENCH_LABEL") or "get", summary.requests, secs,
      summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
      e.status, e.connect + e.read + e.write + e.timeout))
end
