-- wrk script: POST /api/v1/signals with a realistic website-form body (no
-- token: channel web, reporter citizen; no Idempotency-Key, so every request
-- is a new signal and a new durable commit).
--
--   BENCH_BODY_FILE  optional file holding the JSON body to send (intake.sh
--                    writes one whose category and district exist in the
--                    service's config); otherwise the body below (~400 bytes)
--   BENCH_LABEL      label echoed in the result line
--
-- done() prints one machine-readable line:
--   BENCH_RESULT {"label":...,"requests":N,"rps":...,"p50_ms":...,"p90_ms":...,
--                 "p99_ms":...,"max_ms":...,"non2xx":N,"socket_errors":N}
-- "non2xx" is wrk's count of statuses >= 400; "socket_errors" adds connect,
-- read, write and timeout errors.

local body = '{"kind":"report","category":"publieke-ruimte/zwerfvuil",' ..
   '"district":"centrum","address":"Kapellestraat 12",' ..
   '"lat":51.2300,"lon":2.9200,' ..
   '"description":"Zwerfvuil aan de bushalte op de Kapellestraat: ' ..
   'omgevallen vuilniszakken, blikjes en karton liggen al sinds het weekend ' ..
   'op het voetpad en waaien tot op de rijweg. Graag opruimen en de ' ..
   'vuilnisbak ernaast legen, die zit propvol.",' ..
   '"contact":{"name":"An Peeters","email":"an.peeters@example.org",' ..
   '"language":"nl"},"consent_forward":false}'

local path = os.getenv("BENCH_BODY_FILE")
if path and path ~= "" then
   local f = assert(io.open(path, "rb"))
   body = f:read("*a")
   f:close()
end

wrk.method = "POST"
wrk.path = "/api/v1/signals"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

-- The shared result line (bench/result.lua), found beside this script.
dofile((debug.getinfo(1, "S").source:sub(2):match("(.*/)") or "./") .. "result.lua")
done = bench_done("post")
