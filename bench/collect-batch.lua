-- wrk script: POST /v1/batch with 100 track events per request, each user id different, Basic auth with the demo key.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Basic ZGVtby1zZXJ2ZXIta2V5Og==" -- base64("demo-server-key:")
local counter = 0
request = function()
  counter = counter + 1
  local events = {}
  for i = 1, 100 do
    events[i] = string.format('{"type":"track","userId":"bench-%d-%d","event":"Product Viewed",' ..
      '"properties":{"sku":"SKU-%d","price":19.5},"messageId":"m-%d-%d"}', counter % 5000, i, i, counter, i)
  end
  return wrk.format(nil, "/v1/batch", nil, '{"batch":[' .. table.concat(events, ",") .. ']}')
end
