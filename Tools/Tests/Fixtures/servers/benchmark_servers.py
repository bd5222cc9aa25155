"""Small CORS servers written the way teams write them, one per misconfiguration class (several phrasings of
most classes) and several correct ones: corsim's own benchmark for `corsim audit`.

Usage:
  benchmark_servers.py             serve every app on 127.0.0.1 (prints "PORT <n>"; exits when stdin closes)
  benchmark_servers.py --manifest  print the apps as JSON: name, expected class (null: correct), the intent
                                   and frontend a team that knows its API would give the audit

Each app answers under /<name>/data (and /<name>/<anything else> as the same resource's error page). Only the
Python standard library is used. The origin checks are hand-written, as in the tickets behind each class;
nothing here is tuned to corsim's generated origins.
"""
import json
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

APP = "https://app.example.com"
ADMIN = "https://admin.example.com"
ALLOWED = [APP, ADMIN]
GET = {"method": "GET", "credentials": "include"}
PUT = {"method": "PUT", "headers": {"Content-Type": "application/json"}, "credentials": "include"}
BEARER_GET = {"method": "GET", "headers": {"Authorization": "Bearer t"}}

APPS = {}


def app(name, expected, allow=ALLOWED, frontend=(GET, PUT), public=False, internal=False):
    """Registers an app: its handler returns (status, [(name, value)…]) for (method, path, headers)."""
    def register(handler):
        APPS[name] = dict(handler=handler, expected=expected, allow=list(allow), frontend=list(frontend),
                          public=public, internal=internal)
        return handler
    return register


def grant(origin, method, headers, credentials=True, methods="GET, PUT", allow_headers="Content-Type", max_age="600",
          vary=True):
    """What a typical hand-written middleware sends once it has decided to allow an origin."""
    out = [("Access-Control-Allow-Origin", origin)]
    if credentials:
        out.append(("Access-Control-Allow-Credentials", "true"))
    if method == "OPTIONS":
        out += [("Access-Control-Allow-Methods", methods), ("Access-Control-Allow-Headers", allow_headers)]
        if max_age:
            out.append(("Access-Control-Max-Age", max_age))
    if vary:
        out.append(("Vary", "Origin"))
    return (204 if method == "OPTIONS" else 200), out


def deny(method, vary=True):
    return (204 if method == "OPTIONS" else 200), ([("Vary", "Origin")] if vary else [])


def checked(allowed):
    """A middleware around an origin test: grant when it says yes, deny otherwise."""
    def handler(method, path, h):
        origin = h.get("origin")
        if origin and allowed(origin):
            return grant(origin, method, h)
        return deny(method)
    return handler


# --- Correct servers -----------------------------------------------------------------------------------

app("correct-set-lookup", None)(checked(lambda o: o in set(ALLOWED)))
app("correct-escaped-regex", None)(checked(lambda o: re.fullmatch(r"https://(app|admin)\.example\.com", o) is not None))


@app("correct-parsed-origin", None)
def _(method, path, h):
    origin = h.get("origin", "")
    parts = urlsplit(origin)
    ok = (parts.scheme, parts.hostname, parts.port) in {("https", "app.example.com", None), ("https", "admin.example.com", None)}
    ok = ok and origin == f"{parts.scheme}://{parts.netloc}"
    return grant(origin, method, h) if ok else deny(method)


@app("correct-public-open-data", None, allow=[], frontend=({"method": "GET"},), public=True)
def _(method, path, h):
    out = [("Access-Control-Allow-Origin", "*")]
    if method == "OPTIONS":
        out += [("Access-Control-Allow-Methods", "GET"), ("Access-Control-Max-Age", "600")]
    return (204 if method == "OPTIONS" else 200), out


@app("correct-no-cors", None, allow=[], frontend=())
def _(method, path, h):
    return (405 if method == "OPTIONS" else 200), []


@app("correct-bearer-no-credentials", None, frontend=(BEARER_GET,))
def _(method, path, h):
    origin = h.get("origin")
    if origin in ALLOWED:
        return grant(origin, method, h, credentials=False, allow_headers="Authorization, Content-Type")
    return deny(method)


# --- 0: a request the frontend makes is refused --------------------------------------------------------

@app("c0-method-not-listed", 0)
def _(method, path, h):
    origin = h.get("origin")
    if origin in ALLOWED:
        return grant(origin, method, h, methods="GET, POST")
    return deny(method)


# --- 1: any origin reflected ---------------------------------------------------------------------------

app("c1-reflect-credentials", 1)(checked(lambda o: True))
app("c1-truthy-check", 1)(checked(lambda o: bool(o) and o != "null"))


@app("c1-reflect-no-credentials", 1)
def _(method, path, h):
    origin = h.get("origin")
    return grant(origin, method, h, credentials=False) if origin else deny(method)


# --- 2: null trusted -----------------------------------------------------------------------------------

app("c2-null-in-list", 2)(checked(lambda o: o in ALLOWED + ["null"]))
app("c2-null-for-files", 2)(checked(lambda o: o in ALLOWED or o == "null"))

# --- 3: prefix match -----------------------------------------------------------------------------------

app("c3-startswith", 3)(checked(lambda o: any(o.startswith(a) for a in ALLOWED)))
app("c3-re-match", 3)(checked(lambda o: re.match(r"https://(app|admin)\.example\.com", o) is not None))

# --- 4: suffix match -----------------------------------------------------------------------------------

app("c4-endswith", 4)(checked(lambda o: o.endswith("example.com")))
app("c4-regex-search-end", 4)(checked(lambda o: re.search(r"example\.com$", o) is not None))

# --- 5: unescaped dots ---------------------------------------------------------------------------------

app("c5-unescaped-fullmatch", 5)(checked(lambda o: re.fullmatch(r"https://(app|admin).example.com", o) is not None))
app("c5-unescaped-anchored", 5)(checked(lambda o: re.search(r"^https://app.example.com$|^https://admin.example.com$", o) is not None))

# --- 6: substring ----------------------------------------------------------------------------------------

app("c6-contains-domain", 6, allow=[APP])(checked(lambda o: "app.example.com" in o))
app("c6-origin-in-constant", 6, allow=[APP])(checked(lambda o: o in APP))

# --- 7: parser confusion ---------------------------------------------------------------------------------

app("c7-truncate-at-odd-char", 7)(checked(lambda o: re.sub(r"[^A-Za-z0-9.:/-].*$", "", o) in ALLOWED))
app("c7-partition-underscore", 7)(checked(lambda o: o.partition("_")[0] in ALLOWED))

# --- 8: allowlist joined into one string -------------------------------------------------------------------

app("c8-comma-joined", 8)(checked(lambda o: o in ",".join(ALLOWED)))
app("c8-env-var-string", 8)(checked(lambda o: o in "https://app.example.com;https://admin.example.com"))

# --- 9: http trusted -------------------------------------------------------------------------------------

app("c9-http-in-list", 9)(checked(lambda o: o in ALLOWED + ["http://app.example.com"]))
app("c9-optional-s", 9)(checked(lambda o: re.fullmatch(r"https?://(app|admin)\.example\.com", o) is not None))

# --- 10: any subdomain -------------------------------------------------------------------------------------

app("c10-dot-suffix", 10)(checked(lambda o: o.startswith("https://") and o.endswith(".example.com")))
app("c10-label-regex", 10)(checked(lambda o: re.fullmatch(r"https://[a-z0-9-]+\.example\.com", o) is not None))

# --- 11: shared hosting ------------------------------------------------------------------------------------

app("c11-github-pages", 11, allow=[APP, "https://acme.github.io"])(
    checked(lambda o: o == APP or (o.startswith("https://") and o.endswith(".github.io"))))
app("c11-netlify-previews", 11, allow=[APP, "https://acme.netlify.app"])(
    checked(lambda o: o == APP or re.fullmatch(r"https://[\w-]+\.netlify\.app", o) is not None))

# --- 12: wildcard with credentials ---------------------------------------------------------------------------

@app("c12-star-and-true", 12)
def _(method, path, h):
    if not h.get("origin"):
        return deny(method)
    return grant("*", method, h)

# --- 13: an entry browsers never send --------------------------------------------------------------------

app("c13-trailing-slash", 13, allow=[APP])(checked(lambda o: o in ["https://app.example.com/"]))
app("c13-default-port", 13, allow=[APP])(checked(lambda o: o in ["https://app.example.com:443"]))
app("c13-capitalised", 13, allow=[APP])(checked(lambda o: o in ["https://App.example.com"]))

# --- 14: Vary missing ----------------------------------------------------------------------------------------

@app("c14-no-vary", 14)
def _(method, path, h):
    origin = h.get("origin")
    return grant(origin, method, h, vary=False) if origin in ALLOWED else deny(method, vary=False)


@app("c14-vary-on-grants-only", 14)
def _(method, path, h):
    origin = h.get("origin")
    return grant(origin, method, h) if origin in ALLOWED else deny(method, vary=False)

# --- 15: internal service open to every page ---------------------------------------------------------------

@app("c15-internal-star", 15, allow=[APP], frontend=({"method": "GET"},), internal=True)
def _(method, path, h):
    return (204 if method == "OPTIONS" else 200), [("Access-Control-Allow-Origin", "*")]

# --- 16: preflight reflection ----------------------------------------------------------------------------------

@app("c16-echo-everything", 16)
def _(method, path, h):
    origin = h.get("origin")
    if origin not in ALLOWED:
        return deny(method)
    return grant(origin, method, h, methods=h.get("access-control-request-method", "GET"),
                 allow_headers=h.get("access-control-request-headers", ""))


@app("c16-echo-headers", 16)
def _(method, path, h):
    origin = h.get("origin")
    if origin not in ALLOWED:
        return deny(method)
    return grant(origin, method, h, allow_headers=h.get("access-control-request-headers", "Content-Type"))

# --- 17: credentials nobody needs ---------------------------------------------------------------------------------

app("c17-bearer-with-credentials", 17, frontend=(BEARER_GET,))(
    lambda m, p, h: grant(h["origin"], m, h, allow_headers="Authorization") if h.get("origin") in ALLOWED else deny(m))

# --- 18: preflight and actual disagree ----------------------------------------------------------------------------

@app("c18-options-only", 18)
def _(method, path, h):
    origin = h.get("origin")
    if method == "OPTIONS" and origin in ALLOWED:
        return grant(origin, method, h)
    return deny(method)


@app("c18-auth-before-cors", 18)
def _(method, path, h):
    if method == "OPTIONS":
        return 401, [("WWW-Authenticate", "Bearer")]
    origin = h.get("origin")
    return grant(origin, method, h) if origin in ALLOWED else deny(method)

# --- 19: several layers ---------------------------------------------------------------------------------------------

@app("c19-proxy-adds-star", 19)
def _(method, path, h):
    origin = h.get("origin")
    status, out = grant(origin, method, h) if origin in ALLOWED else deny(method)
    return status, out + [("Access-Control-Allow-Origin", "*")]


@app("c19-list-in-one-header", 19)
def _(method, path, h):
    status, out = grant(", ".join(ALLOWED), method, h) if h.get("origin") in ALLOWED else deny(method)
    return status, out

# --- 20: preflight cache lifetime -----------------------------------------------------------------------------------

@app("c20-a-year-get-only", 20, frontend=(GET,))
def _(method, path, h):
    origin = h.get("origin")
    return grant(origin, method, h, max_age="31536000") if origin in ALLOWED else deny(method)


@app("c20-a-year-with-put", 20)
def _(method, path, h):
    origin = h.get("origin")
    return grant(origin, method, h, max_age="31536000") if origin in ALLOWED else deny(method)


# --- A second set of phrasings, written after the audit's last change and run as they are (held out: no ---
# --- change to the audit followed them) ------------------------------------------------------------------------

def _host(o):
    try:
        return urlsplit(o).hostname or ""
    except ValueError:
        return ""


app("correct-hostname-and-scheme", None)(
    checked(lambda o: urlsplit(o).scheme == "https" and _host(o) in {"app.example.com", "admin.example.com"}
            and urlsplit(o).port is None and o.count("/") == 2))
app("h4-hostname-endswith", 4)(checked(lambda o: _host(o).endswith("example.com")))
app("h5-alternation-unescaped", 5)(
    checked(lambda o: re.fullmatch("https://app.example.com|https://admin.example.com", o) is not None))
app("h9-hostname-only", 9)(checked(lambda o: _host(o) in {"app.example.com", "admin.example.com"}))
app("h10-any-label", 10)(checked(lambda o: re.fullmatch(r"https://[a-z0-9-]+\.example\.com", o) is not None))
app("h11-vercel-previews", 11, allow=[APP, "https://acme.vercel.app"])(
    checked(lambda o: o == APP or o.endswith(".vercel.app")))


@app("h14-vary-on-preflight-only", 14)
def _(method, path, h):
    origin = h.get("origin")
    if origin in ALLOWED:
        return grant(origin, method, h, vary=method == "OPTIONS")
    return deny(method, vary=False)


@app("h16-methods-echoed", 16)
def _(method, path, h):
    origin = h.get("origin")
    if origin not in ALLOWED:
        return deny(method)
    status, out = grant(origin, method, h)
    if method == "OPTIONS":
        out = [(k, h.get("access-control-request-method", v) if k == "Access-Control-Allow-Methods" else v) for k, v in out]
    return status, out


def route(method, path, h):
    """The benchmark's routing: /<app name>/… goes to that app's handler."""
    parts = path.split("?")[0].split("/")
    entry = APPS.get(parts[1] if len(parts) > 1 else "")
    return entry["handler"](method, path, h) if entry else (404, [])


def serve(answer):
    """Serves `answer(method, path, lower-cased headers) -> (status, [(name, value)…])` on a free loopback port
    with a small JSON body; prints "PORT <n>" and returns when standard input closes (or the parent dies)."""
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
            status, headers = answer(self.command, self.path, {k.lower(): v for k, v in self.headers.items()})
            body = b"" if status in (204, 304) or self.command == "HEAD" else json.dumps({"user": "alice"}).encode()
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_PUT = do_POST = do_DELETE = do_OPTIONS = do_HEAD = do_PATCH = handle_any

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.request_queue_size = 128
    print("PORT", server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()


def manifest():
    return [dict(name=n, expected=a["expected"], allow=a["allow"], frontend=a["frontend"], public=a["public"],
                 internal=a["internal"]) for n, a in APPS.items()]


if __name__ == "__main__":
    if sys.argv[1:] == ["--manifest"]:
        print(json.dumps(manifest(), indent=1))
        sys.exit(0)
    serve(route)
