-- Loaded into every wrk run (wrk -s): prints the run as one JSON line, since wrk's text report rounds and
-- changes units. WRK_DELAY_MS > 0 paces the load: each connection waits that long between requests, so
-- p99 shows the route's latency rather than a saturated server's queue.
local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "") or 0
if delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p99":%d}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
