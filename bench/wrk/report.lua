-- Loaded into every wrk run of the harness (wrk -s). Prints the run as one JSON line, because wrk's
-- text report rounds and changes units. Knobs come from the environment:
--   WRK_DELAY_MS    paced load: each connection waits this long between requests, so the server is not
--                   saturated and p99 shows the route's own latency, not queueing (goal 5)
--   WRK_STOP_AFTER  stop after this many responses (heap check); counted per wrk thread, run with -t1

local delay_ms = tonumber(os.getenv("WRK_DELAY_MS") or "")
if delay_ms and delay_ms > 0 then
  function delay()
    return delay_ms
  end
end

local stop_after = tonumber(os.getenv("WRK_STOP_AFTER") or "")
if stop_after and stop_after > 0 then
  local seen = 0
  function response(status, headers, body)
    seen = seen + 1
    if seen >= stop_after then
      wrk.thread:stop()
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"mean":%.1f,"stdev":%.1f,"max":%d,"p50":%d,"p90":%d,"p99":%d,"p999":%d}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
