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

function done(summary, latency, requests)
   local e = summary.errors
   local secs = summary.duration / 1e6
   io.write(string.format(
      'BENCH_RESULT {"label":"%s","requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
      '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
      '"non2xx":%d,"socket_errors":%d}\n',
      os.getenv("BENCH_LABEL") or "post", summary.requests, secs,
      summary.requests / secs,
      latency:percentile(50) / 1000, latency:percentile(90) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
      e.status, e.connect + e.read + e.write + e.timeout))
end
