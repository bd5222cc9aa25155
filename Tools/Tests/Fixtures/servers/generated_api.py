"""A generated API of N endpoints for whole-API audits (`corsim audit --openapi … --base …`).

Usage:
  generated_api.py N            serve on 127.0.0.1 (prints "PORT <n>"; exits when stdin closes)
  generated_api.py N --openapi  print the OpenAPI 3 document (YAML) of the same N endpoints

Endpoint i is /v1/r<i>/{id} (GET; PUT with a JSON body on every third). Its CORS handling, by i:
  i % 10 == 7   reflects any Origin with credentials (class 1)
  i % 25 == 11  trusts any Origin that starts with a trusted origin (class 3)
  otherwise     an exact allowlist of https://app.example.com and https://admin.example.com, Vary: Origin
so that N = 200 has 20 reflecting endpoints and 8 prefix-matching ones.
"""
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ALLOWED = ("https://app.example.com", "https://admin.example.com")


def kind(i):
    if i % 10 == 7:
        return "reflect"
    if i % 25 == 11:
        return "prefix"
    return "exact"


def openapi(n):
    lines = ["openapi: 3.0.3", "info: {title: generated, version: '1'}", "servers:", "  - url: https://api.example.com",
             "paths:"]
    for i in range(n):
        lines += [f"  /v1/r{i}/{{id}}:",
                  "    parameters:",
                  "      - {name: id, in: path, required: true, schema: {type: integer}, example: 42}",
                  "    get:",
                  "      responses: {'200': {description: ok}}"]
        if i % 3 == 0:
            lines += ["    put:",
                      "      requestBody: {content: {application/json: {schema: {type: object}}}}",
                      "      responses: {'200': {description: ok}}"]
    return "\n".join(lines) + "\n"


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY the second waits for the client's delayed
    # ACK (~40 ms a request on Linux loopback), which would be measured as the audit's time.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        parts = self.path.split("?")[0].split("/")
        status, headers = 404, []
        if len(parts) == 4 and parts[1] == "v1" and parts[2].startswith("r") and parts[2][1:].isdigit():
            i = int(parts[2][1:])
            origin = self.headers.get("Origin")
            k = kind(i)
            ok = origin is not None and (k == "reflect" or origin in ALLOWED
                                         or (k == "prefix" and origin.startswith(ALLOWED)))
            preflight = self.command == "OPTIONS"
            status = 204 if preflight else 200
            if ok:
                headers = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")]
                if preflight:
                    headers += [("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Allow-Headers", "Content-Type"),
                                ("Access-Control-Max-Age", "600")]
            headers.append(("Vary", "Origin"))
        body = b"" if status == 204 or self.command == "HEAD" else json.dumps({"id": 42}).encode()
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_PUT = do_POST = do_DELETE = do_OPTIONS = do_HEAD = do_PATCH = handle_any


if __name__ == "__main__":
    n = int(sys.argv[1])
    if sys.argv[2:] == ["--openapi"]:
        sys.stdout.write(openapi(n))
        sys.exit(0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    print("PORT", server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
