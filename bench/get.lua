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

-- The shared result line (bench/result.lua), found beside this script.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "result.lua")
done = bench_done("get")
