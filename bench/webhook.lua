-- wrk script: POST customer messages to the webhook, spread over many subscribers.
-- Each request picks the next subscriber id, so bursts form as they would with many customers at once.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-ManyChat-Token"] = os.getenv("BENCH_TOKEN") or "bench-hook"
local counter = 0
request = function()
  counter = counter + 1
  local id = 800000000 + (counter % 5000)
  local body = '{"subscriber":{"id":' .. id .. '},"message":{"text":"Привіт! Які у вас є сукні?"},"type":"instagram"}'
  return wrk.format(nil, "/webhooks/manychat", nil, body)
end
