"""A tiny client for `skilllite serve` used by the tests and benchmarks: a reader thread routes
responses by id, so requests can be in flight at once."""
import json
import os
import queue
import subprocess
import threading


def child_env(extra=None):
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    env.update(extra or {})
    return env


class Serve:
    def __init__(self, binary, *args, env=None, cwd=None):
        self.proc = subprocess.Popen(
            [str(binary), "serve", *map(str, args)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=child_env(env), cwd=cwd, bufsize=0)
        self.lock = threading.Lock()
        self.waiters = {}
        self.unmatched = queue.Queue()   # responses with an id nobody waits for (or null)
        self.all = []                    # every response, in arrival order
        self.next_id = 1
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.stderr = b""
        self.err_reader = threading.Thread(target=self._read_err, daemon=True)
        self.err_reader.start()

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def _read(self):
        for line in self.proc.stdout:
            msg = json.loads(line)
            with self.lock:
                self.all.append(msg)
                q = self.waiters.pop(json.dumps(msg.get("id")), None)
            (q or self.unmatched).put(msg)

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def submit(self, method, params=None, id=None):
        """Send a request; returns a queue the response will arrive on."""
        with self.lock:
            if id is None:
                id = self.next_id
                self.next_id += 1
            q = queue.Queue()
            self.waiters[json.dumps(id)] = q
        msg = {"jsonrpc": "2.0", "id": id, "method": method}
        if params is not None:
            msg["params"] = params
        self.send_raw(json.dumps(msg) + "\n")
        return q

    def call(self, method, params=None, timeout=60, id=None):
        return self.submit(method, params, id=id).get(timeout=timeout)

    def notify(self, method, params):
        self.send_raw(json.dumps({"jsonrpc": "2.0", "method": method, "params": params}) + "\n")

    def next_unmatched(self, timeout=30):
        return self.unmatched.get(timeout=timeout)

    def close(self, timeout=60):
        try:
            self.proc.stdin.close()
        except BrokenPipeError:
            pass
        rc = self.proc.wait(timeout=timeout)
        self.reader.join(timeout=5)
        self.err_reader.join(timeout=5)
        return rc


def rss_kb(pid):
    """VmRSS of a process in kB (-1 when /proc has no such line)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1
