"""A scripted stand-in for `skilllite serve`, to test the Client against misbehaving daemons.

Invoked as `fake_serve.py serve --stdio [args...]`.  Methods:
  echo {..}            -> result = params
  sleep {seconds, tag} -> answers after `seconds` (on its own thread: out of order)
  pid {}               -> result = this process's pid
  argv {}, getenv {name} -> its arguments, one environment variable
  die {code}           -> exits at once with `code` (pending requests are never answered)
  garbage {}           -> writes junk, an id-null error, an answer to an unknown id, then answers
  stderr {lines}       -> writes `lines` lines on stderr, then answers
  silent {}            -> never answers
  error {code, reason} -> an error answer
  $/cancelRequest {id} -> the pending request `id` is answered with -32800 cancelled
Anything else -> -32601.  EOF on stdin: waits for the sleepers, exits 0.
FAKE_SERVE_FAIL_IF=path: if that file exists, exit with status 3 before reading anything.
FAKE_SERVE_LOG=path: append each request line there.
FAKE_SERVE_RESULT=json: any other method is answered with that result (not -32601).
"""

import json
import os
import sys
import threading

out_lock = threading.Lock()
pending = {}  # id -> threading.Event (set when cancelled)
pending_lock = threading.Lock()
sleepers = []


def send(obj):
    data = json.dumps(obj) + "\n"
    with out_lock:
        sys.stdout.write(data)
        sys.stdout.flush()


def answer(rid, result=None, error=None):
    with pending_lock:
        if rid not in pending:
            return  # already answered (cancelled)
        del pending[rid]
    if error is not None:
        send({"jsonrpc": "2.0", "id": rid, "error": error})
    else:
        send({"jsonrpc": "2.0", "id": rid, "result": result})


def sleeper(rid, seconds, tag, cancelled):
    if not cancelled.wait(seconds):
        answer(rid, {"tag": tag, "slept": seconds})


def main():
    if sys.argv[1:2] != ["serve"]:
        sys.stderr.write("fake_serve: only 'serve'\n")
        return 2
    flag = os.environ.get("FAKE_SERVE_FAIL_IF")
    if flag and os.path.exists(flag):
        sys.stderr.write("fake_serve: exiting at start as told\n")
        return 3
    log = os.environ.get("FAKE_SERVE_LOG")
    for line in sys.stdin:
        if log:
            with open(log, "a") as f:
                f.write(line)
        msg = json.loads(line)
        method, params, rid = msg.get("method"), msg.get("params") or {}, msg.get("id")
        if method == "$/cancelRequest":
            target = params.get("id")
            with pending_lock:
                ev = pending.get(target)
            if ev is not None:
                ev.set()
                answer(target, error={"code": -32800, "message": "cancelled", "data": {"reason": "cancelled"}})
            continue
        with pending_lock:
            pending[rid] = threading.Event()
            ev = pending[rid]
        if method == "echo":
            answer(rid, params)
        elif method == "pid":
            answer(rid, os.getpid())
        elif method == "argv":
            answer(rid, sys.argv[1:])
        elif method == "getenv":
            answer(rid, os.environ.get(params.get("name", "")))
        elif method == "sleep":
            t = threading.Thread(target=sleeper, args=(rid, float(params.get("seconds", 0)), params.get("tag"), ev))
            t.start()
            sleepers.append(t)
        elif method == "die":
            sys.stderr.write("fake_serve: dying as told\n")
            sys.stderr.flush()
            os._exit(int(params.get("code", 7)))
        elif method == "garbage":
            with out_lock:
                sys.stdout.write("this is not json\n[1,2]\n\n")
                sys.stdout.flush()
            send({"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}})
            send({"jsonrpc": "2.0", "id": 987654321, "result": "stray"})
            send({"jsonrpc": "2.0", "id": True, "result": "bool id"})
            answer(rid, "after garbage")
        elif method == "stderr":
            for i in range(int(params.get("lines", 1))):
                sys.stderr.write(f"fake_serve: log line {i}\n")
            sys.stderr.flush()
            answer(rid, "logged")
        elif method == "silent":
            pass
        elif method == "error":
            answer(rid, error={"code": params.get("code", -32004), "message": "as told",
                               "data": {"reason": params.get("reason", "failed")}})
        elif method == "noresult":
            with pending_lock:
                pending.pop(rid, None)
            send({"jsonrpc": "2.0", "id": rid})
        elif "FAKE_SERVE_RESULT" in os.environ:
            answer(rid, json.loads(os.environ["FAKE_SERVE_RESULT"]))
        else:
            answer(rid, error={"code": -32601, "message": f"no method {method}",
                               "data": {"reason": "method_not_found"}})
    for t in sleepers:
        t.join()
    return 0


if __name__ == "__main__":
    sys.exit(main())
