-- The one machine-readable result line every bench script prints from wrk's done() hook:
--   BENCH_RESULT {"label":…,"rps":…,"p50_ms":…,"p99_ms":…, …}
-- Loaded by post.lua, get.lua and cti.lua with dofile, relative to their own folder.

function bench_done(default_label)
   return function(summary, latency, requests)
      local e = summary.errors
      local secs = summary.duration / 1e6
      io.write(string.format(
         'BENCH_RESULT {"label":"%s","requests":%d,"duration_s":%.3f,"rps":%.1f,' ..
         '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
         '"non2xx":%d,"socket_errors":%d}\n',
         os.getenv("BENCH_LABEL") or default_label, summary.requests, secs,
         summary.requests / secs,
         latency:percentile(50) / 1000, latency:percentile(90) / 1000,
         latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
         e.status, e.connect + e.read + e.write + e.timeout))
   end
end
