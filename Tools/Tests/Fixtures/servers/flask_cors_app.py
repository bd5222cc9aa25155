"""A Flask app behind flask-cors, for corsim's live probe and audit tests.

Usage: flask_cors_app.py MODE   (prints "PORT <n>" once listening on 127.0.0.1, then serves until killed)

MODE is one of the configurations below: "safe" must yield no audit finding; the others are known-bad.
Routes: /data (GET, PUT), /redirect (302 to /data), /big (an 8 MiB body), /slow (answers after 3 s).
"""
import os
import sys
import threading
import time

from flask import Flask, Response, jsonify, redirect
from flask_cors import CORS
from werkzeug.serving import make_server

ALLOWED = ["https://app.example.com", "https://admin.example.com"]
COMMON = dict(supports_credentials=True, allow_headers=["Content-Type"], methods=["GET", "PUT"], max_age=600)

CONFIGS = {
    # An explicit allowlist, credentials, listed methods and headers, a max-age.
    "safe": dict(origins=ALLOWED, **COMMON),
    # flask-cors's default origins='*' with send_wildcard=False reflects any Origin; with credentials.
    "reflect-credentials": dict(origins="*", supports_credentials=True),
    # The allowlist also says "null".
    "null": dict(origins=ALLOWED + ["null"], **COMMON),
    # A pattern meant as "our domain and its subdomains", matched with re.match: a suffix match.
    "suffix": dict(origins=[r"https://.*example\.com"], **COMMON),
}


def make_app(mode):
    app = Flask(__name__)
    CORS(app, **CONFIGS[mode])

    @app.route("/data", methods=["GET", "PUT"])
    def data():
        return jsonify(user="alice", token="secret")

    @app.route("/redirect")
    def moved():
        return redirect("/data", code=302)

    @app.route("/big")
    def big():
        chunk = b"x" * 65536
        return Response((chunk for _ in range(128)), mimetype="application/octet-stream")

    @app.route("/slow")
    def slow():
        time.sleep(3)
        return jsonify(slow=True)

    @app.after_request
    def vary(response):
        # flask-cors omits `Vary: Origin` on refused and no-Origin answers; the app adds it (class 14).
        if "Origin" not in response.headers.get("Vary", ""):
            response.headers.add("Vary", "Origin")
        return response

    return app


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "safe"
    if mode not in CONFIGS:
        sys.exit(f"unknown mode {mode!r}; known: {', '.join(CONFIGS)}")
    server = make_server("127.0.0.1", 0, make_app(mode), threaded=True)
    # Exit when the test process that started us goes away (its end of our standard input closes).
    threading.Thread(target=lambda: (sys.stdin.read(), os._exit(0)), daemon=True).start()
    print(f"PORT {server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
