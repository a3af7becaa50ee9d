-- wrk script: POST one stateless tools/call echo (no initialize, no session). TOOL is the tool's name: echo at the
-- server, bench_echo through the gateway.
local tool = os.getenv("TOOL") or "echo"
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"' .. tool .. '","arguments":{"message":"hello world"}}}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
