-- wrk script for every wrk run of bench/run: POST /webhooks/manychat as ManyChat does.
--
-- BENCH_MODE     spread  each request goes to the next of BENCH_SPREAD subscribers, round robin (ceiling, ingest)
--                bursts  each subscriber gets 3 messages in a row and then no more (mixed, baseline)
--                walk    subscribers 1..BENCH_COUNT get one message each, exactly once; every thread stops when
--                        its share is acknowledged (memory)
-- BENCH_TOKEN    the X-ManyChat-Token header (a wrong one makes every answer 401: ceiling)
-- BENCH_ID_BASE  added to every subscriber id, so that the warm-up and the measured run use different subscribers
-- BENCH_SPREAD   subscribers of the spread mode (default 100000)
-- BENCH_COUNT    subscribers of the walk mode (default 100000)
--
-- done() prints one line that bench/run reads:
--   BENCH_WRK requests=… seconds=… rps=… p50_ms=… p99_ms=… p999_ms=… max_ms=… non2xx=… connect=… read=… write=… timeout=…
-- non2xx is wrk's count of answers with a status of 400 or more; the other four are socket errors.

local mode = os.getenv("BENCH_MODE") or "spread"
local token = os.getenv("BENCH_TOKEN") or "bench-hook"
local base = tonumber(os.getenv("BENCH_ID_BASE") or "0")
local spread = tonumber(os.getenv("BENCH_SPREAD") or "100000")
local count = tonumber(os.getenv("BENCH_COUNT") or "100000")
local text = "Привіт! Які у вас є сукні?"

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-ManyChat-Token"] = token

-- main state: number the threads so that each builds its own ids
local threads = {}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local nthreads = 2
local counter = 0
-- wrk 4 calls request() once on the first thread's state, after setup() and init(), to check the script, and
-- never sends that request: that call must not use up a subscriber id
local checked = false
local acked = 0
local share = 0

function init(args)
  -- wrk creates its threads in one go before running any; -t2 is fixed by bench/run
  nthreads = tonumber(os.getenv("BENCH_THREADS") or "2")
  if mode == "walk" then
    -- ids tid+1, tid+1+nthreads, … up to count
    share = math.floor((count - tid - 1) / nthreads) + 1
    if share < 0 then share = 0 end
  end
end

local function body(id)
  return '{"subscriber":{"id":' .. string.format("%d", id) .. '},"message":{"text":"' .. text .. '"},"type":"instagram"}'
end

local spare = nil

function request()
  if not checked then
    checked = true
    if tid == 0 then
      return wrk.format(nil, "/webhooks/manychat", nil, body(base))
    end
  end
  local id
  if mode == "bursts" then
    id = base + tid * 10000000 + math.floor(counter / 3)
  elseif mode == "walk" then
    if counter >= share then
      -- this thread's subscribers are all sent: keep the connection busy with a request Mirt refuses (401) and
      -- that stores nothing, until the last acknowledgement stops the thread
      if not spare then
        spare = wrk.format(nil, "/webhooks/manychat", { ["Content-Type"] = "application/json",
          ["X-ManyChat-Token"] = "not-the-token" }, body(base))
      end
      return spare
    end
    id = base + tid + 1 + counter * nthreads
  else
    id = base + 1 + ((counter * nthreads + tid) % spread)
  end
  counter = counter + 1
  return wrk.format(nil, "/webhooks/manychat", nil, body(id))
end

if mode == "walk" then
  function response(status, headers, body)
    if status == 202 then
      acked = acked + 1
      if acked >= share then
        wrk.thread:stop()
      end
    end
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "BENCH_WRK requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f non2xx=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
    latency.max / 1000, e.status, e.connect, e.read, e.write, e.timeout))
end
