-- bench/run.sh scenario waf: one request with a browser's headers, the same one curl checks before the load.
-- Arguments after `--`: HOST HEADERS_FILE [BODY_FILE]. With a body: POST application/x-www-form-urlencoded.
-- The path and query come from wrk's URL.
local function read(path)
  local f = assert(io.open(path, "rb"))
  local text = f:read("*a")
  f:close()
  return text
end

function init(args)
  wrk.headers["Host"] = args[1]
  for name, value in read(args[2]):gmatch("([^:\r\n]+):%s*([^\r\n]*)") do
    wrk.headers[name] = value
  end
  if args[3] then
    wrk.method = "POST"
    wrk.body = read(args[3])
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end
