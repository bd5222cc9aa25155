"""The real middlewares behind three presets, answering requests so that a test can hold the preset's model
against them: django-cors-headers (Django's test client), Starlette's CORSMiddleware (the ASGI app called
directly), and nginx (started on loopback ports with the configuration as written, in front of a second
nginx server block that answers 200 or 500).

Usage: real_middlewares.py django|starlette|nginx  < {"config": TEXT, "requests": [{method, path, headers}]}
Prints {"version": …, "answers": [{"status": n, "headers": [[name, value]…]}…]}, or {"skip": reason} when the
software is not installed (exit 0), so that the test can say what is missing.

The configuration text is the one the preset reads (`config:` in the policy file): settings.py lines for
Django, the `app.add_middleware(CORSMiddleware, …)` call for Starlette, the server block(s) for nginx with
`@UPSTREAM@` where the upstream's port goes and `@PORT@` where nginx listens.
"""
import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import http.client


def skip(reason):
    print(json.dumps({"skip": reason}))
    sys.exit(0)


def django_answers(config, requests):
    try:
        import django
        import corsheaders
        from importlib.metadata import version
    except ImportError as e:
        skip(f"django-cors-headers is not installed ({e.name}); pip install django django-cors-headers")
    from django.conf import settings
    values = {}
    exec(config, {}, values)
    from django.http import JsonResponse
    from django.urls import path

    def data(request):
        return JsonResponse({"ok": True})

    urls = type(sys)("corsim_urls")
    urls.urlpatterns = [path("data", data)]
    sys.modules["corsim_urls"] = urls
    settings.configure(
        DEBUG=values.pop("DEBUG", False), ALLOWED_HOSTS=["*"], ROOT_URLCONF="corsim_urls", SECRET_KEY="x" * 50,
        INSTALLED_APPS=["corsheaders"],
        MIDDLEWARE=["corsheaders.middleware.CorsMiddleware", "django.middleware.common.CommonMiddleware"],
        **{k: v for k, v in values.items() if k.isupper()})
    django.setup()
    from django.test import Client
    client = Client()
    out = []
    for r in requests:
        resp = client.generic(r["method"], r["path"], headers=r["headers"], secure=True, HTTP_HOST="api.example.com")
        out.append({"status": resp.status_code, "headers": [[k, v] for k, v in resp.headers.items()]})
    return f"django-cors-headers {version('django-cors-headers')}, Django {django.__version__}", out


def starlette_answers(config, requests):
    try:
        import starlette
        from starlette.applications import Starlette
        from starlette.middleware.cors import CORSMiddleware
        from starlette.responses import JSONResponse
        from starlette.routing import Route
    except ImportError as e:
        skip(f"starlette is not installed ({e.name}); pip install starlette")

    async def data(request):
        return JSONResponse({"ok": True})

    # The application answers every method with 200, as the model's application does (an OPTIONS that is not
    # a preflight passes through the middleware to it).
    app = Starlette(routes=[Route("/data", data, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])])
    exec(config, {"app": app, "CORSMiddleware": CORSMiddleware})

    async def one(r):
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": r["method"],
                 "scheme": "https", "path": r["path"], "raw_path": r["path"].encode(), "query_string": b"",
                 "root_path": "", "server": ("api.example.com", 443), "client": ("127.0.0.1", 5000),
                 "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in r["headers"].items()]
                 + [(b"host", b"api.example.com")]}
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        return {"status": start["status"],
                "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in start.get("headers", [])]}

    async def every():
        return [await one(r) for r in requests]

    return f"starlette {starlette.__version__}", asyncio.run(every())


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nginx_answers(config, requests):
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    if binary is None:
        skip("nginx is not installed; apt-get install nginx-light")
    version = subprocess.run([binary, "-v"], capture_output=True, text=True).stderr.strip()
    port, upstream = free_port(), free_port()
    prefix = tempfile.mkdtemp(prefix="corsim-nginx-")
    temps = "".join(f"{k}_temp_path {prefix}/{k};\n" for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    text = (f"daemon off; master_process off; worker_processes 1; pid {prefix}/nginx.pid; error_log stderr;\n"
            f"events {{ worker_connections 64; }}\n"
            f"http {{ access_log off; {temps}\n"
            + config.replace("@PORT@", str(port)).replace("@UPSTREAM@", str(upstream)) + "\n}\n")
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(text)
    proc = subprocess.Popen([binary, "-p", prefix, "-c", conf, "-e", "stderr"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    print(json.dumps({"error": "nginx did not start: " + proc.stderr.read()}))
                    sys.exit(1)
                time.sleep(0.05)
        out = []
        for r in requests:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            c.request(r["method"], r["path"], headers=r["headers"])
            resp = c.getresponse()
            resp.read()
            out.append({"status": resp.status, "headers": [[k, v] for k, v in resp.getheaders()]})
            c.close()
        return version, out
    finally:
        proc.kill()
        proc.wait(timeout=5)
        shutil.rmtree(prefix, ignore_errors=True)


def main():
    kind = sys.argv[1]
    job = json.load(sys.stdin)
    run = {"django": django_answers, "starlette": starlette_answers, "nginx": nginx_answers}[kind]
    version, answers = run(job["config"], job["requests"])
    print(json.dumps({"version": version, "answers": answers}))


if __name__ == "__main__":
    main()
