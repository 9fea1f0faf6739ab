#!/usr/bin/env python3
"""An upper platform's endpoint for coldtrace push, as the pusher's test needs it: it stores
every event it is sent (one JSON line each: seq, hash, prev_hash) and misbehaves on given
requests, counted from 1 in this process:
  N:503       answers 503 and stores nothing
  N:hang      stores the batch, then answers only after --hang seconds (the pusher times out)
  N:lost      stores the batch, then answers 500 (the acknowledgement is lost)
Requests without "Authorization: Bearer <--token>" get 401.
Usage: feed_receiver.py --store FILE --token T (--port P | --port-file F) [--faults 2:503,5:hang]
"""
import argparse
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = None
lock = threading.Lock()
requests = 0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *_):
        pass

    def answer(self, status, text):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global requests
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.headers.get("Authorization") != "Bearer " + args.token:
            return self.answer(401, "who are you")
        with lock:
            requests += 1
            n = requests
        fault = args.faults.get(n)
        if fault == "503":
            return self.answer(503, "busy")
        page = json.loads(body)
        with lock, open(args.store, "a") as f:
            for e in page["events"]:
                f.write(json.dumps({k: e[k] for k in ("seq", "hash", "prev_hash")}) + "\n")
            f.flush()
            os.fsync(f.fileno())
        if fault == "hang":
            time.sleep(args.hang)
        if fault == "lost":
            return self.answer(500, "stored, but the answer is lost")
        self.answer(200, "ok")


def main():
    global args
    p = argparse.ArgumentParser()
    p.add_argument("--store", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file")
    p.add_argument("--faults", default="")
    p.add_argument("--hang", type=float, default=3.0)
    args = p.parse_args()
    args.faults = {int(k): v for k, v in (f.split(":") for f in args.faults.split(",") if f)}
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as f:
            f.write(str(server.server_address[1]))
        os.rename(args.port_file + ".tmp", args.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
