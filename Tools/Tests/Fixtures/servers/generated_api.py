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
import sys

from benchmark_servers import serve

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


def answer(method, path, h):
    parts = path.split("?")[0].split("/")
    if not (len(parts) == 4 and parts[1] == "v1" and parts[2].startswith("r") and parts[2][1:].isdigit()):
        return 404, []
    i = int(parts[2][1:])
    origin = h.get("origin")
    k = kind(i)
    ok = origin is not None and (k == "reflect" or origin in ALLOWED or (k == "prefix" and origin.startswith(ALLOWED)))
    preflight = method == "OPTIONS"
    headers = []
    if ok:
        headers = [("Access-Control-Allow-Origin", origin), ("Access-Control-Allow-Credentials", "true")]
        if preflight:
            headers += [("Access-Control-Allow-Methods", "GET, PUT"), ("Access-Control-Allow-Headers", "Content-Type"),
                        ("Access-Control-Max-Age", "600")]
    return (204 if preflight else 200), headers + [("Vary", "Origin")]


if __name__ == "__main__":
    n = int(sys.argv[1])
    if sys.argv[2:] == ["--openapi"]:
        sys.stdout.write(openapi(n))
        sys.exit(0)
    serve(answer)
