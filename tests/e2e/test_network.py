"""Network grants: the domain-allowlist proxy, what the sandbox lets a skill do with sockets, and
the envelope's "network" report.

Everything runs inside the network lab (tests/e2e/netlab.py: a private network + mount namespace
with fake public hosts api.test, other.test, ..., a private /etc/hosts and servers that record
every connection). Needs root; skipped otherwise. Run alone with

    /usr/bin/python3 -m pytest tests/e2e/test_network.py -v

One lab (and one set of servers) serves the whole module; the server logs are emptied before
each test, so "the server never received anything" is `lab.heard("name") == []`.

Most skills here are one Python probe (PROBE) that performs a list of network attempts given in
its input and prints {"results": [...]}, one result per attempt with "ok" and the details (HTTP
status and body, or the error and errno and the stage that failed). Probes report failures as
data, so the run itself succeeds (exit 0) and the test inspects what happened."""
import json
import os
import re
import shutil

import pytest

import netlab
from conftest import BIN_DIR, Result, nobody_copy

PROXY = "http://127.0.0.1:3128"
NO_NETWORK = {"enabled": False, "mode": "none"}
PROXY_VARS = ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"]
NETWORK_KEYS = {"enabled", "proxy", "grants", "open", "private_allowed", "requests", "requests_dropped",
                "allowed", "denied", "bytes_up", "bytes_down"}
REQUEST_KEYS = {"method", "host", "port", "decision", "reason", "bytes_up", "bytes_down", "duration_ms"}
REASONS = {"ok", "not_granted", "deny_rule", "bad_host", "private_address", "resolve_failed",
           "connect_failed", "bad_request", "connection_limit", "byte_limit", "timeout"}
POLICY_REASONS = {"not_granted", "deny_rule", "bad_host", "private_address"}
DENIED_PREFIX = "skilllite: network: denied"
WARNING_PREFIX = "skilllite: warning: "
STATUS_LINE = re.compile(r"^HTTP/1\.[01] (\d{3})( |$)")


# --- the skills -------------------------------------------------------------------------------

PROBE = r'''
import errno, json, os, socket, ssl, sys, urllib.error, urllib.request

CA = "/skill/ca.pem"
TIMEOUT = 10


def fail(e, **extra):
    out = {"ok": False, "error": f"{type(e).__name__}: {e}", **extra}
    code = getattr(e, "errno", None)
    reason = getattr(e, "reason", None)
    if code is None and isinstance(reason, OSError):
        code = reason.errno
    if isinstance(code, int):
        out["errno"] = errno.errorcode.get(code, str(code))
    return out


def body_of(data):
    try:
        body = json.loads(data)
    except ValueError:
        return data.decode("utf-8", "replace")[:4000]
    if isinstance(body, dict) and isinstance(body.get("pad"), str):
        body["pad"] = len(body["pad"])
    return body


def recv_reply(s, wait=5):
    """Bytes until EOF, or until a complete head plus Content-Length body."""
    s.settimeout(wait)
    data = b""
    while len(data) < 1 << 20:
        try:
            chunk = s.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
        head, sep, body = data.partition(b"\r\n\r\n")
        if sep:
            m = [l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
            if m and len(body) >= int(m[0].split(b":", 1)[1]):
                break
    return data


def op_http(a):
    handlers = [urllib.request.HTTPSHandler(context=ssl.create_default_context(cafile=CA))]
    if a.get("direct"):
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    data = b"u" * a["upload"] if "upload" in a else None
    req = urllib.request.Request(a["url"], data=data, method=a.get("method"),
                                 headers=a.get("headers", {}))
    try:
        with opener.open(req, timeout=TIMEOUT) as resp:
            raw = resp.read()
            return {"ok": True, "status": resp.status, "body": body_of(raw), "len": len(raw)}
    except urllib.error.HTTPError as e:
        raw = e.read()
        return {"ok": False, "status": e.code, "body": raw.decode("utf-8", "replace")[:4000]}
    except Exception as e:
        return fail(e)


def op_connect(a):
    try:
        s = socket.create_connection((a["host"], a["port"]), timeout=5)
    except Exception as e:
        return fail(e, stage="connect")
    with s:
        if not a.get("send", True):
            return {"ok": True}
        try:
            s.sendall(b"GET /direct HTTP/1.0\r\nHost: direct\r\n\r\n")
            return {"ok": True, "reply": recv_reply(s).decode("latin-1")[:300]}
        except Exception as e:
            return fail(e, stage="send")


def op_raw(a):
    """Send raw bytes to the proxy; report its reply."""
    try:
        s = socket.create_connection(("127.0.0.1", 3128), timeout=5)
    except Exception as e:
        return fail(e, stage="connect")
    with s:
        try:
            s.sendall(a["data"].encode("latin-1"))
        except Exception as e:
            return fail(e, stage="send")
        text = recv_reply(s, wait=a.get("wait", 5)).decode("latin-1")
    line = text.split("\r\n", 1)[0]
    head, _, body = text.partition("\r\n\r\n")
    parts = line.split()
    status = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    return {"ok": True, "status_line": line, "status": status, "head": head, "body": body[:2000]}


def op_udp(a):
    family = socket.AF_INET6 if ":" in a["host"] else socket.AF_INET
    try:
        s = socket.socket(family, socket.SOCK_DGRAM)
    except Exception as e:
        return fail(e, stage="socket")
    with s:
        s.settimeout(2)
        try:
            s.sendto(b"ping", (a["host"], a["port"]))
        except Exception as e:
            return fail(e, stage="send")
        try:
            data, _ = s.recvfrom(100)
        except Exception as e:
            return fail(e, stage="recv")
        return {"ok": True, "reply": data.decode("latin-1")}


def op_resolve(a):
    try:
        infos = socket.getaddrinfo(a["host"], a.get("port", 80), type=socket.SOCK_STREAM)
    except Exception as e:
        return fail(e)
    return {"ok": True, "addresses": sorted({i[4][0] for i in infos})}


FAMILIES = {"inet": socket.AF_INET, "inet6": socket.AF_INET6, "unix": socket.AF_UNIX}
TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM}


def op_socket(a):
    try:
        socket.socket(FAMILIES[a["family"]], TYPES[a.get("type", "stream")]).close()
    except Exception as e:
        return fail(e, stage="socket")
    return {"ok": True}


def op_bind(a):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    except Exception as e:
        return fail(e, stage="socket")
    with s:
        try:
            s.bind((a.get("host", "127.0.0.1"), a["port"]))
            s.listen(1)
        except Exception as e:
            return fail(e, stage="bind")
        return {"ok": True, "bound": list(s.getsockname())}


def op_unix(a):
    out = {"exists": os.path.exists(a["path"])}
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    except Exception as e:
        return fail(e, stage="socket", **out)
    with s:
        s.settimeout(5)
        try:
            s.connect(a["path"])
            return {"ok": True, "reply": s.recv(200).decode("latin-1"), **out}
        except Exception as e:
            return fail(e, stage="connect", **out)


def op_env(a):
    return {"ok": True, "env": dict(os.environ)}


def op_cafile(a):
    """The default CA bundle HTTPS clients load (Python's ssl, curl, OpenSSL)."""
    paths = ssl.get_default_verify_paths()
    try:
        with open(paths.openssl_cafile, "rb") as f:
            certs = f.read().count(b"BEGIN CERTIFICATE")
    except Exception as e:
        return fail(e, cafile=paths.openssl_cafile)
    ctx = ssl.create_default_context()
    return {"ok": True, "cafile": paths.openssl_cafile, "certs": certs,
            "loaded": ctx.cert_store_stats()["x509_ca"]}


def op_tls(a):
    """CONNECT `target` through the proxy, then TLS with server name `sni` (None: no SNI), without
    certificate checks (the proxy, not TLS verification, is under test), then GET /tls-probe."""
    s = socket.create_connection(("127.0.0.1", 3128), timeout=5)
    try:
        s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (a["target"], a["target"])).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(200)
            if not chunk:
                break
            head += chunk
        status = head.split(b"\r\n", 1)[0].decode("latin-1")
        if " 200 " not in status + " ":
            return {"ok": False, "connect": status}
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        t = ctx.wrap_socket(s, server_hostname=a.get("sni"))
        t.sendall(b"GET /tls-probe HTTP/1.0\r\nHost: api.test\r\n\r\n")
        return {"ok": True, "connect": status, "reply": recv_reply(t).decode("latin-1")[:300]}
    except Exception as e:
        return fail(e)
    finally:
        s.close()


def op_many(a):
    """n absolute-form GETs of `url`, one connection each; the status of each."""
    statuses = []
    for i in range(a["n"]):
        s = socket.create_connection(("127.0.0.1", 3128), timeout=10)
        with s:
            s.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (a["url"], a["host"])).encode())
            line = recv_reply(s).split(b"\r\n", 1)[0].decode("latin-1")
        statuses.append(int(line.split()[1]) if len(line.split()) > 1 else None)
    return {"ok": True, "statuses": statuses}


def op_hold(a):
    """Open n connections to the proxy at once and send nothing; report what each one got."""
    socks, out = [], []
    for _ in range(a["n"]):
        try:
            socks.append(socket.create_connection(("127.0.0.1", 3128), timeout=5))
        except Exception as e:
            out.append(fail(e, stage="connect"))
    for s in socks:
        s.settimeout(a.get("wait", 1))
        try:
            data = s.recv(200)
            out.append({"ok": True, "reply": data.decode("latin-1").split("\r\n", 1)[0]})
        except socket.timeout:
            out.append({"ok": True, "reply": None})  # still open, waiting for our request
        except Exception as e:
            out.append(fail(e, stage="recv"))
        s.close()
    return {"ok": True, "replies": out}


def op_idle(a):
    """CONNECT through the proxy, stay silent for `sleep` seconds, then use the tunnel."""
    import time
    s = socket.create_connection(("127.0.0.1", 3128), timeout=5)
    with s:
        s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (a["target"], a["target"])).encode())
        head = s.recv(200).decode("latin-1")
        time.sleep(a["sleep"])
        try:
            s.sendall(b"GET /after-idle HTTP/1.0\r\nHost: api.test\r\n\r\n")
            reply = recv_reply(s, wait=5).decode("latin-1")
        except Exception as e:
            return fail(e, head=head.split("\r\n", 1)[0])
        return {"ok": True, "head": head.split("\r\n", 1)[0], "reply": reply[:200]}


OPS = {"http": op_http, "connect": op_connect, "raw": op_raw, "udp": op_udp, "resolve": op_resolve,
       "socket": op_socket, "bind": op_bind, "unix": op_unix, "env": op_env, "hold": op_hold,
       "cafile": op_cafile, "tls": op_tls, "many": op_many,
       "idle": op_idle}

results = []
for a in json.load(sys.stdin).get("ops", []):
    try:
        res = OPS[a["op"]](a)
    except Exception as e:
        res = fail(e, stage="probe")
    res["op"] = a["op"]
    results.append(res)
print(json.dumps({"results": results}))
'''

CURL_SH = r'''#!/bin/sh
# Ignores its input. Fetches https://api.test/ (CONNECT through HTTPS_PROXY) and http://api.test/
# (absolute-form through http_proxy), then https://other.test/ (not granted). Prints
# {"name": {"rc": curl status, "code": HTTP status, "connect": CONNECT status, "body": JSON|null}}.
fetch() { # name url
	out=$(curl -sS --max-time 10 --cacert /skill/ca.pem -w ' %{http_code} %{http_connect}' "$2")
	rc=$?
	connect=${out##* }
	out=${out% *}
	code=${out##* }
	body=${out% *}
	case $body in
	'{'*'}') ;;
	*) body=null ;;
	esac
	printf '"%s":{"rc":%d,"code":"%s","connect":"%s","body":%s}' "$1" "$rc" "$code" "$connect" "$body"
}
printf '{'
fetch tls https://api.test/curl-tls
printf ','
fetch plain http://api.test/curl-plain
printf ','
fetch denied https://other.test/curl-denied
printf '}\n'
'''

NODE_JS = r''''use strict';
// Network from Node without npm packages: an https.Agent that honours HTTPS_PROXY by sending
// CONNECT and then speaking TLS over the tunnel, and plain http as an absolute-form request to
// HTTP_PROXY. Input {"ops": [{"kind": "https"|"http", "host", "path"}]}; prints {"results": [...]}.
const fs = require('fs');
const net = require('net');
const tls = require('tls');
const http = require('http');
const https = require('https');

const ca = fs.readFileSync('/skill/ca.pem');
const envUrl = (name) => {
  const v = process.env[name] || process.env[name.toLowerCase()];
  return v ? new URL(v) : null;
};
const httpsProxy = envUrl('HTTPS_PROXY');
const httpProxy = envUrl('HTTP_PROXY');

class TunnelAgent extends https.Agent {
  createConnection(options, callback) {
    const target = `${options.host}:${options.port}`;
    const sock = net.connect(Number(httpsProxy.port), httpsProxy.hostname);
    let head = Buffer.alloc(0);
    let done = false;
    const finish = (err, s) => {
      if (!done) {
        done = true;
        callback(err, s);
      }
    };
    sock.setTimeout(10000, () => {
      sock.destroy();
      finish(new Error('proxy timeout'));
    });
    sock.on('error', (e) => finish(e));
    sock.on('connect', () => sock.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    const onData = (chunk) => {
      head = Buffer.concat([head, chunk]);
      if (head.indexOf('\r\n\r\n') < 0) return;
      sock.removeListener('data', onData);
      sock.setTimeout(0);
      const status = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      if (!/^HTTP\/1\.[01] 200( |$)/.test(status)) {
        sock.destroy();
        const e = new Error(`proxy refused CONNECT ${target}: ${status}`);
        e.proxyStatus = Number(status.split(' ')[1]);
        finish(e);
        return;
      }
      sock.pause();
      finish(null, tls.connect({ socket: sock, servername: options.servername || options.host, ca }));
    };
    sock.on('data', onData);
  }
}

function request(mod, opts) {
  return new Promise((resolve) => {
    const req = mod.request(opts, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let body;
        try {
          body = JSON.parse(text);
        } catch (e) {
          body = text.slice(0, 2000);
        }
        resolve({ ok: res.statusCode === 200, status: res.statusCode, body });
      });
      res.on('error', (e) => resolve({ ok: false, error: String(e.message || e) }));
    });
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ok: false, error: String(e.message || e), proxyStatus: e.proxyStatus || null }));
    req.end();
  });
}

async function main() {
  const input = JSON.parse(fs.readFileSync(0, 'utf8') || '{}');
  const results = [];
  for (const op of input.ops || []) {
    let r;
    if (op.kind === 'https') {
      r = httpsProxy
        ? await request(https, { host: op.host, port: 443, path: op.path, agent: new TunnelAgent(), ca })
        : { ok: false, error: 'no HTTPS_PROXY' };
    } else {
      r = httpProxy
        ? await request(http, { host: httpProxy.hostname, port: Number(httpProxy.port), agent: false,
                                path: `http://${op.host}${op.path}`, headers: { Host: op.host } })
        : { ok: false, error: 'no HTTP_PROXY' };
    }
    r.kind = op.kind;
    r.host = op.host;
    results.push(r);
  }
  process.stdout.write(JSON.stringify({ results }) + '\n');
}

main();
'''


# --- probe operations (the input of PROBE) ------------------------------------------------------


def http(url, **kw):
    return {"op": "http", "url": url, **kw}


def connect(host, port, send=True):
    return {"op": "connect", "host": host, "port": port, "send": send}


def raw(data, wait=5):
    return {"op": "raw", "data": data, "wait": wait}


def udp(host, port):
    return {"op": "udp", "host": host, "port": port}


def resolve(host):
    return {"op": "resolve", "host": host}


def sock(family, type_="stream"):
    return {"op": "socket", "family": family, "type": type_}


def bind(port, host="127.0.0.1"):
    return {"op": "bind", "host": host, "port": port}


def unix(path):
    return {"op": "unix", "path": str(path)}


ENV = {"op": "env"}


# --- fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab():
    if not (BIN_DIR / "skilllite").exists():
        pytest.skip(f"no engine binary at {BIN_DIR / 'skilllite'}")
    the_lab = netlab.Lab()  # skips (with the reason) when it cannot be built here
    try:
        the_lab.start_server()
        yield the_lab
    finally:
        the_lab.close()


@pytest.fixture(autouse=True)
def _fresh_logs(request):
    if "lab" in request.fixturenames:
        request.getfixturevalue("lab").clear_logs()


def engine(lab, *args, input=None, user=None, bin_dir=None, timeout=60, env_extra=None):
    """Run skilllite inside the lab: the engine, its proxy and its resolver see the lab's network
    and /etc/hosts. Returns conftest.Result."""
    # These tests are about the sandbox and its proxy: the probe skills do on purpose what a scan
    # asks a person about, so the person running the tests approves them (level 3 still scans).
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "SKILLLITE_AUTO_APPROVE": "1", **(env_extra or {})}
    for keep in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if keep in os.environ:
            env[keep] = os.environ[keep]
    binary = (bin_dir or BIN_DIR) / "skilllite"
    return Result(lab.run([binary, *map(str, args)], input=input, env=env, timeout=timeout, user=user))


def skill_front(name, network=None, exec_=None, lang="Python"):
    meta = ""
    if network is not None or exec_ is not None:
        meta = "metadata:\n"
        if network is not None:
            meta += f"  skilllite.network: {json.dumps(network)}\n"
        if exec_ is not None:
            meta += f"  skilllite.exec: {json.dumps(exec_)}\n"
    return f"name: {name}\ndescription: Network test skill {name} ({lang}).\n{meta}"


@pytest.fixture
def probe_skill(make_skill, lab):
    """probe_skill(name, network=None): the Python probe, with the lab's CA as /skill/ca.pem."""
    def make(name, network=None):
        return make_skill(name, skill_front(name, network),
                          files={"scripts/main.py": PROBE, "ca.pem": lab.ca_pem.read_text()})
    return make


def run_probe(lab, skill, ops, *flags, user=None, bin_dir=None, env_extra=None):
    """Run the probe with --json; the run itself must succeed. Returns (result, envelope, results)."""
    r = engine(lab, "run", "--json", *flags, skill, json.dumps({"ops": ops}), user=user, bin_dir=bin_dir,
               env_extra=env_extra)
    assert r.code == 0, r
    env = r.json()
    assert env["ok"] is True, r
    results = env["output"]["results"]
    assert len(results) == len(ops), r
    return r, env, results


def denied_lines(stderr):
    return [line for line in stderr.splitlines() if line.startswith(DENIED_PREFIX)]


def check_network(env, r=None, grants=None, open_=False, private=False):
    """The envelope's "network" when the run had grants: shape, types and consistent counts."""
    net = env["network"]
    assert set(net) >= NETWORK_KEYS, net
    assert net["enabled"] is True
    assert net["proxy"] == PROXY
    assert isinstance(net["grants"], list) and all(isinstance(g, str) for g in net["grants"])
    if grants is not None:
        assert sorted(net["grants"]) == sorted(grants), net["grants"]
    assert net["open"] is open_
    assert net["private_allowed"] is private
    for rec in net["requests"]:
        assert set(rec) >= REQUEST_KEYS, rec
        assert isinstance(rec["method"], str) and rec["method"]
        assert isinstance(rec["host"], str)
        assert type(rec["port"]) is int and 0 <= rec["port"] <= 65535
        assert rec["decision"] in ("allowed", "denied"), rec
        assert rec["reason"] in REASONS, rec
        assert (rec["reason"] == "ok") == (rec["decision"] == "allowed") or rec["reason"] in (
            "resolve_failed", "connect_failed", "byte_limit", "timeout"), rec
        for k in ("bytes_up", "bytes_down", "duration_ms"):
            assert type(rec[k]) is int and rec[k] >= 0, (k, rec)
        if "address" in rec:
            assert isinstance(rec["address"], str)
    for k in ("requests_dropped", "allowed", "denied", "bytes_up", "bytes_down"):
        assert type(net[k]) is int and net[k] >= 0, (k, net)
    assert net["requests_dropped"] == 0
    assert net["allowed"] == sum(rec["decision"] == "allowed" for rec in net["requests"])
    assert net["denied"] == sum(rec["decision"] == "denied" for rec in net["requests"])
    assert net["bytes_up"] >= sum(rec["bytes_up"] for rec in net["requests"] if rec["decision"] == "allowed")
    assert net["bytes_down"] >= sum(rec["bytes_down"] for rec in net["requests"] if rec["decision"] == "allowed")
    if r is not None:
        # one "skilllite: network: denied" line per denial by the policy, on the engine's stderr
        # (whether a 400 for a malformed request also gets one is left open)
        policy = sum(x["decision"] == "denied" and x["reason"] in POLICY_REASONS for x in net["requests"])
        assert policy <= len(denied_lines(r.err)) <= net["denied"], r
    return net


def records(net, host, port=None):
    return [rec for rec in net["requests"]
            if rec["host"] == host and (port is None or rec["port"] == port)]


def one_record(net, host, port, method=None):
    recs = [rec for rec in records(net, host, port) if method is None or rec["method"] == method]
    assert len(recs) == 1, (host, port, method, net["requests"])
    return recs[0]


def assert_allowed(net, host, port, method, address):
    rec = one_record(net, host, port, method)
    assert (rec["decision"], rec["reason"]) == ("allowed", "ok"), rec
    assert rec["address"] == address, rec
    assert rec["bytes_up"] > 0 and rec["bytes_down"] > 0, rec
    return rec


def assert_denied(r, net, host, port, reason, method=None):
    rec = one_record(net, host, port, method)
    assert (rec["decision"], rec["reason"]) == ("denied", reason), rec
    lines = denied_lines(r.err)
    assert any(host in line for line in lines), r
    return rec


def assert_http_403(res):
    """An absolute-form request the proxy refused: 403 with a text body that explains."""
    assert res["ok"] is False, res
    assert res["status"] == 403, res
    assert isinstance(res["body"], str) and res["body"].strip(), res


def assert_connect_403(res):
    """An https:// request whose CONNECT the proxy refused (urllib: "Tunnel connection failed: 403")."""
    assert res["ok"] is False, res
    assert "403" in res["error"], res


def served(res, server, path, host):
    """A probe result that reached the lab server `server`."""
    assert res["ok"] is True, res
    assert res["status"] == 200, res
    assert res["body"]["server"] == server, res
    assert res["body"]["path"] == path, res
    assert res["body"]["host"] == host, res


# --- the lab itself (independent of the engine's network support) -------------------------------


def test_lab_hosts_and_servers(lab):
    """Inside the lab, without any proxy, the names resolve as the lab's hosts file says and
    every server answers; the host's own /etc/hosts is untouched."""
    cases = [("http://api.test/x", "api", "/x"), ("http://www.api.test/", "api", "/"),
             ("http://a.svc.test/", "api", "/"), ("http://api.test:8080/", "api8080", "/"),
             ("https://api.test/s", "api-tls", "/s"), ("http://other.test/", "other", "/"),
             ("http://rebind.test/", "loop80", "/"),
             ("http://127.0.0.1:9999/", "loop9999", "/"), ("http://private.test/", "private", "/"),
             ("http://metadata.test/", "metadata", "/")]
    for url, server, path in cases:
        p = lab.run(["curl", "-sS", "--noproxy", "*", "--max-time", "10", "--cacert", lab.ca_pem, url])
        assert p.returncode == 0, (url, p.stderr)
        body = json.loads(p.stdout)
        assert (body["server"], body["path"], body["method"]) == (server, path, "GET"), (url, body)
    assert [r["path"] for r in lab.requests("api")] == ["/x", "/", "/"]
    assert lab.log("api")[0]["event"] == "connect"
    if lab.ipv6:
        p = lab.run(["curl", "-sS", "--noproxy", "*", "--max-time", "10", "http://v6.test/"])
        assert json.loads(p.stdout)["server"] == "v6", p
        p = lab.run(["getent", "ahosts", "v6.test"])
        assert p.stdout.split()[0] == "2001:db8::10", p
    assert "api.test" not in open("/etc/hosts").read()


def test_lab_udp_and_unix_servers(lab):
    code = ("import socket, sys\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.settimeout(5)\n"
            "s.sendto(b'hi', ('203.0.113.10', 53))\nprint(s.recv(10).decode())\n"
            "u = socket.socket(socket.AF_UNIX)\nu.connect(sys.argv[1])\nprint(u.recv(100).decode())\n")
    p = lab.run([netlab.PYTHON, "-c", code, lab.dir / "unix.sock"])
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines()[0] == "hi"
    assert json.loads(p.stdout.splitlines()[1]) == {"server": "unix"}
    assert [r["event"] for r in lab.log("udp53")] == ["datagram"]
    assert lab.heard() == ["udp53", "unix"]
    lab.clear_logs()
    assert lab.heard() == []


def test_lab_engine_runs_inside(lab, probe_skill):
    """The sandbox works inside the lab's namespaces (a run without any grant)."""
    d = probe_skill("plain")
    r, env, (res,) = run_probe(lab, d, [ENV])
    assert res["env"]["SKILLLITE_SANDBOX"] == "1"


# --- allowed --------------------------------------------------------------------------------------


def test_declared_grant_http_and_https(lab, probe_skill):
    d = probe_skill("declared", network="api.test")
    r, env, (plain, tls) = run_probe(lab, d, [http("http://api.test/ok"), http("https://api.test/secure")])
    served(plain, "api", "/ok", "api.test")
    served(tls, "api-tls", "/secure", "api.test")
    net = check_network(env, r, grants=["api.test"])
    assert_allowed(net, "api.test", 80, "GET", "203.0.113.10")
    assert_allowed(net, "api.test", 443, "CONNECT", "203.0.113.10")
    assert (net["allowed"], net["denied"]) == (2, 0)
    assert denied_lines(r.err) == []
    # the absolute-form request reached the server in origin form, with Connection: close
    (req,) = lab.requests("api")
    assert req["path"] == "/ok"
    assert req["host"] == "api.test"
    headers = {k.lower(): v for k, v in req["headers"].items()}
    assert headers["connection"].lower() == "close"
    assert "proxy-connection" not in headers and "proxy-authorization" not in headers
    assert [x["path"] for x in lab.requests("api-tls")] == ["/secure"]
    assert lab.heard() == ["api", "api-tls"]


def test_plain_mode_allowed_run(lab, probe_skill):
    """Without --json: the skill's output on stdout, no denial lines."""
    d = probe_skill("plainmode", network="api.test")
    r = engine(lab, "run", d, json.dumps({"ops": [http("http://api.test/p")]}))
    assert r.code == 0, r
    (res,) = json.loads(r.out)["results"]
    served(res, "api", "/p", "api.test")
    assert denied_lines(r.err) == []


def test_byte_counters(lab, probe_skill):
    d = probe_skill("bytes", network="api.test")
    ops = [http("http://api.test/big?pad=200000"), http("https://api.test/big?pad=300000"),
           http("http://api.test/up", upload=100000)]
    r, env, (down, down_tls, up) = run_probe(lab, d, ops)
    assert down["ok"] and down["body"]["pad"] == 200000, down
    assert down_tls["ok"] and down_tls["body"]["pad"] == 300000, down_tls
    assert up["ok"] and up["body"]["method"] == "POST" and up["body"]["body_len"] == 100000, up
    net = check_network(env, r)
    plain = [x for x in records(net, "api.test", 80)]
    assert sorted(x["method"] for x in plain) == ["GET", "POST"]
    get = next(x for x in plain if x["method"] == "GET")
    post = next(x for x in plain if x["method"] == "POST")
    assert get["bytes_down"] >= 200000 and get["bytes_up"] < 10000, get
    assert post["bytes_up"] >= 100000 and post["bytes_down"] < 10000, post
    tls = one_record(net, "api.test", 443, "CONNECT")
    assert tls["bytes_down"] >= 300000, tls
    assert net["bytes_down"] >= 500000 and net["bytes_up"] >= 100000, net
    assert all(x["duration_ms"] < 30000 for x in net["requests"])


def test_environment_and_sockets_with_grants(lab, probe_skill):
    """With grants: the six proxy variables, no NO_PROXY; the proxy listens on 127.0.0.1:3128;
    TCP sockets (v4 and v6) can be created, UDP and AF_UNIX sockets cannot; binding is denied."""
    d = probe_skill("withgrants", network="api.test")
    ops = [ENV, connect("127.0.0.1", 3128, send=False), sock("inet"), sock("inet6"),
           sock("inet", "dgram"), sock("inet6", "dgram"), sock("unix"), sock("unix", "dgram"),
           bind(8080), bind(0)]
    r, env, res = run_probe(lab, d, ops)
    e = res[0]["env"]
    for var in PROXY_VARS:
        assert e.get(var) == PROXY, (var, e)
    assert "NO_PROXY" not in e and "no_proxy" not in e, e
    assert e.get("SKILLLITE_NETWORK_DISABLED") != "1", e
    assert res[1]["ok"] is True, res[1]  # the proxy's listener
    assert res[2]["ok"] is True, res[2]
    assert res[3]["ok"] is True, res[3]
    for udp_res in res[4:6]:
        assert udp_res["ok"] is False and udp_res["stage"] == "socket", udp_res
        assert udp_res["errno"] == "EPERM", udp_res
    for unix_res in res[6:8]:
        assert unix_res["ok"] is False and unix_res["stage"] == "socket", unix_res
    for bind_res in res[8:10]:
        assert bind_res["ok"] is False and bind_res["stage"] == "bind", bind_res
        if env["sandbox"]["landlock"]["abi"] >= 4:
            assert bind_res["errno"] == "EACCES", bind_res
    check_network(env, r, grants=["api.test"])


def test_allow_network_adds_a_grant_for_one_run(lab, probe_skill):
    d = probe_skill("addgrant", network="api.test")
    ops = [http("http://api.test/a"), http("http://other.test/o")]
    r, env, (a, o) = run_probe(lab, d, ops, "--allow-network=other.test")
    served(a, "api", "/a", "api.test")
    served(o, "other", "/o", "other.test")
    net = check_network(env, r, grants=["api.test", "other.test"])
    assert_allowed(net, "other.test", 80, "GET", "203.0.113.20")
    # the next run without the flag: other.test is not granted any more
    lab.clear_logs()
    r, env, (a, o) = run_probe(lab, d, ops)
    served(a, "api", "/a", "api.test")
    assert_http_403(o)
    net = check_network(env, r, grants=["api.test"])
    assert_denied(r, net, "other.test", 80, "not_granted")
    assert lab.heard("other") == []


def test_allow_network_on_a_skill_without_declaration(lab, probe_skill):
    d = probe_skill("flagonly")
    r, env, (o,) = run_probe(lab, d, [http("http://other.test/f")], "--allow-network=other.test")
    served(o, "other", "/f", "other.test")
    check_network(env, r, grants=["other.test"])


def test_allow_network_alone_means_the_declared_list(lab, probe_skill):
    d = probe_skill("alone", network="api.test")
    r, env, (a, o) = run_probe(lab, d, [http("https://api.test/x"), http("https://other.test/y")],
                               "--allow-network")
    served(a, "api-tls", "/x", "api.test")
    assert_connect_403(o)
    net = check_network(env, r, grants=["api.test"])
    assert_denied(r, net, "other.test", 443, "not_granted", "CONNECT")
    assert lab.heard("other-tls") == []


def test_wildcard_grant_is_strict_subdomains(lab, probe_skill):
    d = probe_skill("wildcard", network="*.svc.test")
    r, env, (sub, apex) = run_probe(lab, d, [http("http://a.svc.test/w"), http("http://svc.test/w")])
    served(sub, "api", "/w", "a.svc.test")
    assert_http_403(apex)
    net = check_network(env, r, grants=["*.svc.test"])
    assert_allowed(net, "a.svc.test", 80, "GET", "203.0.113.10")
    assert_denied(r, net, "svc.test", 80, "not_granted")
    assert len(lab.requests("api")) == 1


def test_port_grant(lab, probe_skill):
    """An explicit port grants that port only (the default ports 80 and 443 no longer apply)."""
    d = probe_skill("portgrant", network="api.test:8080")
    r, env, (alt, std) = run_probe(lab, d, [http("http://api.test:8080/p"), http("http://api.test/p")])
    served(alt, "api8080", "/p", "api.test:8080")
    assert_http_403(std)
    net = check_network(env, r, grants=["api.test:8080"])
    assert_allowed(net, "api.test", 8080, "GET", "203.0.113.10")
    assert_denied(r, net, "api.test", 80, "not_granted")
    assert lab.heard("api") == []


def test_literal_ip_grant(lab, probe_skill):
    d = probe_skill("ipgrant", network="203.0.113.10:80")
    ops = [http("http://203.0.113.10/ip"), http("https://203.0.113.10/ip"), http("http://api.test/ip")]
    r, env, (ip, ip_tls, name) = run_probe(lab, d, ops)
    served(ip, "api", "/ip", "203.0.113.10")
    assert_connect_403(ip_tls)  # the grant names port 80 only
    assert_http_403(name)       # an IP grant is not a grant for the names that resolve to it
    net = check_network(env, r, grants=["203.0.113.10:80"])
    assert_allowed(net, "203.0.113.10", 80, "GET", "203.0.113.10")
    assert_denied(r, net, "203.0.113.10", 443, "not_granted", "CONNECT")
    assert_denied(r, net, "api.test", 80, "not_granted", "GET")
    assert len(lab.requests("api")) == 1 and lab.heard("api-tls") == []


def test_literal_ipv6_grant(lab, probe_skill):
    lab.need_ipv6()
    d = probe_skill("ip6grant", network="[2001:db8::10]:80")
    r, env, (res,) = run_probe(lab, d, [http("http://[2001:db8::10]/six")])
    served(res, "v6", "/six", "[2001:db8::10]")
    net = check_network(env, r, grants=["[2001:db8::10]:80"])
    assert_allowed(net, "2001:db8::10", 80, "GET", "2001:db8::10")


def test_ipv6_host_through_the_proxy(lab, probe_skill):
    """The skill has no IPv6 route; the proxy resolves v6.test and connects over IPv6."""
    lab.need_ipv6()
    d = probe_skill("v6host", network="v6.test")
    r, env, (res,) = run_probe(lab, d, [http("http://v6.test/v6")])
    served(res, "v6", "/v6", "v6.test")
    net = check_network(env, r, grants=["v6.test"])
    assert_allowed(net, "v6.test", 80, "GET", "2001:db8::10")
    assert lab.requests("v6")[0]["path"] == "/v6"


def test_curl_skill(lab, make_skill):
    d = make_skill("curly", skill_front("curly", network="api.test", exec_="curl", lang="sh"),
                   files={"scripts/main.sh": CURL_SH, "ca.pem": lab.ca_pem.read_text()})
    r = engine(lab, "run", "--json", d)
    assert r.code == 0, r
    env = r.json()
    out = env["output"]
    assert out["tls"]["rc"] == 0 and out["tls"]["code"] == "200", (out, env["stderr"])
    assert out["tls"]["body"] == {"server": "api-tls", "path": "/curl-tls", "host": "api.test", "method": "GET"}
    assert out["plain"]["rc"] == 0 and out["plain"]["code"] == "200", (out, env["stderr"])
    assert out["plain"]["body"]["server"] == "api" and out["plain"]["body"]["path"] == "/curl-plain"
    assert out["denied"]["rc"] != 0 and out["denied"]["connect"] == "403", out
    assert out["denied"]["body"] is None
    net = check_network(env, r, grants=["api.test"])
    assert_allowed(net, "api.test", 443, "CONNECT", "203.0.113.10")
    assert_allowed(net, "api.test", 80, "GET", "203.0.113.10")
    assert_denied(r, net, "other.test", 443, "not_granted", "CONNECT")
    assert lab.heard("other-tls", "other") == []


def test_node_skill(lab, make_skill):
    d = make_skill("nodey", skill_front("nodey", network="api.test", lang="Node"),
                   files={"scripts/main.js": NODE_JS, "ca.pem": lab.ca_pem.read_text()})
    ops = [{"kind": "https", "host": "api.test", "path": "/node-tls"},
           {"kind": "http", "host": "api.test", "path": "/node-plain"},
           {"kind": "https", "host": "other.test", "path": "/node-denied"},
           {"kind": "http", "host": "other.test", "path": "/node-denied"}]
    r = engine(lab, "run", "--json", d, json.dumps({"ops": ops}))
    assert r.code == 0, r
    env = r.json()
    tls, plain, tls_denied, plain_denied = env["output"]["results"]
    served(tls, "api-tls", "/node-tls", "api.test")
    served(plain, "api", "/node-plain", "api.test")
    assert tls_denied["ok"] is False and tls_denied["proxyStatus"] == 403, tls_denied
    assert plain_denied["ok"] is False and plain_denied["status"] == 403, plain_denied
    net = check_network(env, r, grants=["api.test"])
    assert_allowed(net, "api.test", 443, "CONNECT", "203.0.113.10")
    assert_allowed(net, "api.test", 80, "GET", "203.0.113.10")
    assert_denied(r, net, "other.test", 443, "not_granted", "CONNECT")
    assert_denied(r, net, "other.test", 80, "not_granted", "GET")
    assert lab.heard("other-tls", "other") == []


def test_allow_private_network(lab, probe_skill):
    """rebind.test resolves to 127.0.0.1: refused, unless --allow-private-network; then the proxy
    reaches the host's loopback service."""
    d = probe_skill("private", network="rebind.test")
    r, env, (res,) = run_probe(lab, d, [http("http://rebind.test/lo")])
    assert_http_403(res)
    net = check_network(env, r, grants=["rebind.test"])
    rec = assert_denied(r, net, "rebind.test", 80, "private_address")
    assert rec.get("address", "127.0.0.1") == "127.0.0.1"
    assert lab.heard("loop80") == []
    r, env, (res,) = run_probe(lab, d, [http("http://rebind.test/lo")], "--allow-private-network")
    served(res, "loop80", "/lo", "rebind.test")
    net = check_network(env, r, grants=["rebind.test"], private=True)
    assert_allowed(net, "rebind.test", 80, "GET", "127.0.0.1")


# --- denied -------------------------------------------------------------------------------------


def test_other_domain_is_denied(lab, probe_skill):
    d = probe_skill("otherdom", network="api.test")
    ops = [http("http://other.test/no"), http("https://other.test/no"),
           raw("CONNECT other.test:443 HTTP/1.1\r\nHost: other.test:443\r\n\r\n")]
    r, env, (plain, tls, connect_raw) = run_probe(lab, d, ops)
    assert_http_403(plain)
    assert_connect_403(tls)
    # the 403 is the CONNECT response itself, with a body that explains
    assert connect_raw["status"] == 403, connect_raw
    assert STATUS_LINE.match(connect_raw["status_line"]), connect_raw
    assert connect_raw["body"].strip(), connect_raw
    net = check_network(env, r, grants=["api.test"])
    assert_denied(r, net, "other.test", 80, "not_granted", "GET")
    assert len(records(net, "other.test", 443)) == 2
    assert all((x["decision"], x["reason"]) == ("denied", "not_granted") for x in records(net, "other.test"))
    assert net["denied"] == 3 and net["allowed"] == 0
    assert lab.heard() == []


def test_denial_line_in_plain_mode(lab, probe_skill):
    d = probe_skill("plaindeny", network="api.test")
    r = engine(lab, "run", d, json.dumps({"ops": [http("http://other.test/x")]}))
    assert r.code == 0, r
    (res,) = json.loads(r.out)["results"]
    assert_http_403(res)
    lines = denied_lines(r.err)
    assert len(lines) == 1 and "other.test" in lines[0], r
    assert lab.heard() == []


def test_granted_domain_on_another_port_is_denied(lab, probe_skill):
    d = probe_skill("otherport", network="api.test")
    r, env, (res, tls) = run_probe(lab, d, [http("http://api.test:8080/no"), http("https://api.test:8080/no")])
    assert_http_403(res)
    assert_connect_403(tls)
    net = check_network(env, r)
    assert_denied(r, net, "api.test", 8080, "not_granted", "GET")
    assert lab.heard() == []


RAW_IP_URLS = [("http://203.0.113.10/raw", "api"), ("https://203.0.113.10/raw", "api-tls"),
               ("http://2130706433/raw", "loop80"), ("http://127.1/raw", "loop80"),
               ("http://0x7f000001/raw", "loop80"), ("http://[2001:db8::10]/raw", "v6"),
               ("http://[::ffff:127.0.0.1]/raw", "loop80")]


@pytest.mark.parametrize("grant", ["api.test", "*"])
def test_raw_ip_without_literal_grant_is_denied(lab, probe_skill, grant):
    """Raw IPs in any spelling need a literal grant: a name grant or "*" is not enough."""
    d = probe_skill("rawip", network=grant)
    r, env, results = run_probe(lab, d, [http(url) for url, _ in RAW_IP_URLS])
    for (url, _), res in zip(RAW_IP_URLS, results):
        if url.startswith("https"):
            assert_connect_403(res)
        else:
            assert_http_403(res)
    net = check_network(env, r, open_=(grant == "*"))
    assert len(net["requests"]) == len(RAW_IP_URLS), net["requests"]
    for rec in net["requests"]:
        assert (rec["decision"], rec["reason"]) == ("denied", "not_granted"), rec
    assert len(denied_lines(r.err)) == len(RAW_IP_URLS), r
    assert lab.heard() == []


@pytest.mark.parametrize("host,server,address", [("rebind.test", "loop80", "127.0.0.1"),
                                                 ("private.test", "private", "10.1.2.3"),
                                                 ("metadata.test", "metadata", "169.254.169.254")])
def test_granted_name_resolving_to_a_private_address_is_refused(lab, probe_skill, host, server, address):
    d = probe_skill("privname", network=host)
    r, env, (plain, tls) = run_probe(lab, d, [http(f"http://{host}/p"), http(f"https://{host}/p")])
    assert_http_403(plain)
    assert_connect_403(tls)
    net = check_network(env, r, grants=[host])
    for port, method in ((80, "GET"), (443, "CONNECT")):
        rec = assert_denied(r, net, host, port, "private_address", method)
        assert rec.get("address", address) == address, rec
    assert lab.heard() == []


def test_open_grant_warns_and_still_refuses_private_addresses(lab, probe_skill):
    d = probe_skill("opengrant")
    ops = [http("http://api.test/o"), http("https://www.api.test/o"), http("http://other.test/o"),
           http("http://rebind.test/o"), http("http://203.0.113.20/o")]
    r, env, (api, www, other, rebind, ip) = run_probe(lab, d, ops, "--allow-network=*")
    assert any(line.startswith(WARNING_PREFIX) for line in r.err.splitlines()), r
    served(api, "api", "/o", "api.test")
    served(www, "api-tls", "/o", "www.api.test")
    served(other, "other", "/o", "other.test")
    assert_http_403(rebind)
    assert_http_403(ip)
    net = check_network(env, r, grants=["*"], open_=True)
    assert_allowed(net, "api.test", 80, "GET", "203.0.113.10")
    assert_allowed(net, "www.api.test", 443, "CONNECT", "203.0.113.10")
    assert_allowed(net, "other.test", 80, "GET", "203.0.113.20")
    assert_denied(r, net, "rebind.test", 80, "private_address")
    assert_denied(r, net, "203.0.113.20", 80, "not_granted")
    assert lab.heard("loop80") == []
    assert [x["path"] for x in lab.requests("other")] == ["/o"]


def test_deny_rule(lab, probe_skill):
    d = probe_skill("denyrule", network="*.svc.test, !a.svc.test")
    ops = [http("http://a.svc.test/d"), http("https://a.svc.test/d")]
    r, env, (plain, tls) = run_probe(lab, d, ops)
    assert_http_403(plain)
    assert_connect_403(tls)
    net = check_network(env, r, grants=["*.svc.test", "!a.svc.test"])
    assert_denied(r, net, "a.svc.test", 80, "deny_rule", "GET")
    assert_denied(r, net, "a.svc.test", 443, "deny_rule", "CONNECT")
    assert lab.heard() == []
    # deny rules are checked first: granting the name again on the command line does not help
    r, env, (plain,) = run_probe(lab, d, [http("http://a.svc.test/d")], "--allow-network=a.svc.test")
    assert_http_403(plain)
    net = check_network(env, r)
    assert_denied(r, net, "a.svc.test", 80, "deny_rule")
    assert lab.heard() == []


def test_direct_connections_bypassing_the_proxy_fail(lab, probe_skill):
    """With grants, a skill still has no route out: only the proxy's port is reachable. Nothing
    reaches any server and the proxy sees nothing."""
    d = probe_skill("direct", network="api.test, v6.test")
    ops = [connect("203.0.113.10", 80), connect("203.0.113.10", 443), connect("127.0.0.1", 80),
           connect("127.0.0.1", 9999), connect("2001:db8::10", 80), connect("::1", 3128),
           udp("203.0.113.10", 53), udp("127.0.0.1", 5353), resolve("api.test"), resolve("v6.test"),
           unix(lab.dir / "unix.sock"), http("http://api.test/direct", direct=True)]
    r, env, res = run_probe(lab, d, ops)
    for op, result in zip(ops, res):
        assert result["ok"] is False, (op, result)
    for result in res[:6]:
        assert result["stage"] == "connect", result
    if env["sandbox"]["landlock"]["abi"] >= 4:  # Landlock refuses TCP connects to any port but 3128
        for result in res[:5]:
            assert result["errno"] == "EACCES", result
    for result in res[6:8]:
        assert result["stage"] in ("socket", "send", "recv"), result
    assert res[10]["exists"] is False, res[10]  # the lab's unix socket is not even visible
    assert res[10]["stage"] == "socket", res[10]
    net = check_network(env, r, grants=["api.test", "v6.test"])
    assert net["requests"] == [], net
    assert denied_lines(r.err) == []
    assert lab.heard() == []


def test_no_grant_means_no_network(lab, probe_skill):
    d = probe_skill("nogrant")
    ops = [ENV, connect("127.0.0.1", 3128, send=False), sock("inet"), sock("inet6"),
           sock("inet", "dgram"), sock("unix"), http("http://api.test/n"), http("https://api.test/n"),
           connect("203.0.113.10", 80), udp("203.0.113.10", 53), resolve("api.test"),
           unix(lab.dir / "unix.sock")]
    r, env, res = run_probe(lab, d, ops)
    e = res[0]["env"]
    for var in PROXY_VARS + ["NO_PROXY", "no_proxy"]:
        assert var not in e, (var, e)
    assert e["SKILLLITE_NETWORK_DISABLED"] == "1"
    for result in res[1:]:
        assert result["ok"] is False, result
    assert res[1]["errno"] == "EPERM" and res[8]["errno"] == "EPERM", res  # no TCP socket at all
    for result in res[2:5]:
        assert (result["stage"], result["errno"]) == ("socket", "EPERM"), result
    assert res[5]["stage"] == "socket", res[5]  # AF_UNIX
    assert env["network"] == NO_NETWORK
    assert denied_lines(r.err) == []
    assert lab.heard() == []


def test_no_network_flag_removes_declared_grants(lab, probe_skill):
    d = probe_skill("nonet", network="api.test")
    ops = [ENV, http("http://api.test/n"), connect("127.0.0.1", 3128, send=False), sock("inet")]
    r, env, (e, res, conn, s) = run_probe(lab, d, ops, "--no-network")
    assert not any(var in e["env"] for var in PROXY_VARS), e
    assert e["env"]["SKILLLITE_NETWORK_DISABLED"] == "1"
    assert res["ok"] is False and conn["ok"] is False, (res, conn)
    assert (s["stage"], s["errno"]) == ("socket", "EPERM"), s
    assert env["network"] == NO_NETWORK
    assert lab.heard() == []


def test_bad_requests_to_the_proxy_get_400_and_the_engine_survives(lab, probe_skill):
    d = probe_skill("badreq", network="api.test")
    ops = [raw("\x00\x01\xffGARBAGE\x7f\r\n\r\n"),
           raw("GET /ok HTTP/1.1\r\nHost: api.test\r\n\r\n"),             # origin-form
           raw("GET https://api.test/ok HTTP/1.1\r\nHost: api.test\r\n\r\n"),  # https:// absolute form
           raw("CONNECT api.test HTTP/1.1\r\nHost: api.test\r\n\r\n"),    # CONNECT without a port
           http("http://api.test/after"), http("https://api.test/after")]
    r, env, res = run_probe(lab, d, ops)
    for result in res[:4]:
        assert result["ok"] is True and result["status"] == 400, result
        assert STATUS_LINE.match(result["status_line"]), result
    served(res[4], "api", "/after", "api.test")
    served(res[5], "api-tls", "/after", "api.test")
    net = check_network(env, r)
    bad = [x for x in net["requests"] if x["reason"] == "bad_request"]
    assert len(bad) == 4, net["requests"]
    assert all(x["decision"] == "denied" for x in bad), bad
    assert [x["path"] for x in lab.requests("api")] == ["/after"]
    assert [x["path"] for x in lab.requests("api-tls")] == ["/after"]


def test_host_header_must_match_the_url(lab, probe_skill):
    d = probe_skill("hosthdr", network="api.test, other.test")
    ops = [raw("GET http://api.test/mm HTTP/1.1\r\nHost: other.test\r\n\r\n"),
           raw("GET http://other.test/mm HTTP/1.1\r\nHost: api.test\r\nConnection: close\r\n\r\n"),
           raw("GET http://api.test/ok HTTP/1.1\r\nHost: api.test\r\nProxy-Connection: keep-alive\r\n\r\n")]
    r, env, (mm1, mm2, ok) = run_probe(lab, d, ops)
    assert mm1["status"] == 400, mm1
    assert mm2["status"] == 400, mm2
    assert ok["status"] == 200 and json.loads(ok["body"])["path"] == "/ok", ok
    net = check_network(env, r)
    assert sum(x["reason"] == "bad_request" for x in net["requests"]) == 2, net["requests"]
    assert lab.heard("other") == []
    (req,) = lab.requests("api")
    assert req["path"] == "/ok" and req["host"] == "api.test"
    assert "proxy-connection" not in {k.lower() for k in req["headers"]}


def test_resolve_failure_is_502(lab, probe_skill):
    d = probe_skill("noresolve", network="nowhere.test")
    r, env, (plain, tls) = run_probe(lab, d, [http("http://nowhere.test/x"), http("https://nowhere.test/x")])
    assert plain["ok"] is False and plain["status"] == 502, plain
    assert tls["ok"] is False and "502" in tls["error"], tls
    net = check_network(env, r, grants=["nowhere.test"])
    assert [x["reason"] for x in records(net, "nowhere.test")] == ["resolve_failed", "resolve_failed"]


def test_connect_failure_is_502(lab, probe_skill):
    d = probe_skill("noconnect", network="api.test:81")
    r, env, (res,) = run_probe(lab, d, [http("http://api.test:81/x")])
    assert res["ok"] is False and res["status"] == 502, res
    net = check_network(env, r)
    rec = one_record(net, "api.test", 81, "GET")
    assert rec["reason"] == "connect_failed", rec
    assert rec.get("address", "203.0.113.10") == "203.0.113.10"


# --- grant syntax -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["http://api.test/", "api.test/path", "api.test:99999", "api.test:0",
                                   "*.", "user@api.test", "[2001:db8::10", "!", "api.test:http"])
def test_bad_allow_network_value_is_a_usage_error(lab, probe_skill, value):
    d = probe_skill("badflag")
    r = engine(lab, "run", f"--allow-network={value}", d, json.dumps({"ops": [ENV]}))
    assert r.code == 2, r
    assert r.out == ""
    assert "--allow-network" in r.err


@pytest.mark.parametrize("value", ["https://api.test", "api.test/path", "api.test:99999", "*.",
                                   "user@api.test", "[nothex]:80", "!"])
def test_bad_network_metadata_fails_validation(skilllite, make_skill, value):
    d = make_skill("badnet", skill_front("badnet", network=value), files={"scripts/main.py": "print('{}')\n"})
    r = skilllite("validate", d)
    assert r.code != 0, r
    assert "skilllite.network" in r.out + r.err
    r = skilllite("run", d)
    assert r.code != 0, r
    assert r.out == ""


@pytest.mark.parametrize("value", ["api.test", "api.test, *.svc.test:8443", "*.svc.test, !a.svc.test", "*",
                                   "203.0.113.10:80", "[2001:db8::10]:80", "API.Test:443"])
def test_good_network_metadata_validates(skilllite, make_skill, value):
    d = make_skill("goodnet", skill_front("goodnet", network=value), files={"scripts/main.py": "print('{}')\n"})
    r = skilllite("validate", d)
    assert r.code == 0, r


def test_grants_are_reported_canonically(lab, probe_skill):
    d = probe_skill("canon", network="API.Test, *.svc.test:8443, !b.svc.test")
    r, env, _ = run_probe(lab, d, [], "--allow-network=Other.TEST")
    net = check_network(env, r)
    assert sorted(net["grants"]) == sorted(["api.test", "*.svc.test:8443", "!b.svc.test", "other.test"])
    assert net["requests"] == [] and net["bytes_up"] == 0 and net["bytes_down"] == 0


# --- the unprivileged engine --------------------------------------------------------------------


def test_unprivileged_engine(lab, make_skill):
    if not shutil.which("setpriv"):
        pytest.skip("setpriv is not installed")
    bin_dir, _ = nobody_copy()
    r = engine(lab, "doctor", "--json", user="nobody", bin_dir=bin_dir)
    if r.code != 0:
        pytest.skip(f"no isolation for an unprivileged user here: {r}")
    # a copy of the skill that uid 65534 can read
    src = make_skill("nobody", skill_front("nobody", network="api.test"),
                     files={"scripts/main.py": PROBE, "ca.pem": lab.ca_pem.read_text()})
    d = lab.dir / "skills" / "nobody"
    shutil.copytree(src, d)
    for top, dirs, files in os.walk(lab.dir / "skills"):
        os.chmod(top, 0o755)
        for f in files:
            os.chmod(os.path.join(top, f), 0o644)
    ops = [http("https://api.test/nobody"), http("http://other.test/nobody")]
    r, env, (ok, no) = run_probe(lab, d, ops, user="nobody", bin_dir=bin_dir)
    served(ok, "api-tls", "/nobody", "api.test")
    assert_http_403(no)
    net = check_network(env, r, grants=["api.test"])
    assert_allowed(net, "api.test", 443, "CONNECT", "203.0.113.10")
    assert_denied(r, net, "other.test", 80, "not_granted", "GET")
    assert lab.heard("other") == []


if __name__ == "__main__":
    import sys
    sys.exit(pytest.main([__file__, "-v", "-p", "no:cacheprovider"]))


# --- the proxy's limits: each one hit -----------------------------------------------------------


def test_byte_limit_cuts_the_transfer_and_refuses_more(lab, probe_skill):
    d = probe_skill("bytelimit", network="api.test")
    ops = [http("http://api.test/big?pad=3000000"), http("http://api.test/after")]
    r, env, (big, after) = run_probe(lab, d, ops, env_extra={"SKILLLITE_NETWORK_MAX_MB": "1"})
    assert not (big["ok"] and big.get("len", 0) >= 3000000), big  # cut short
    assert after["status"] == 403 and "budget" in after["body"], after
    net = env["network"]
    assert net["bytes_up"] + net["bytes_down"] <= (1 << 20) + (1 << 17)  # one buffer past the cap at most
    first = net["requests"][0]
    assert (first["decision"], first["reason"]) == ("denied", "byte_limit"), first
    assert net["requests"][1]["reason"] == "byte_limit"
    assert any("budget" in line for line in denied_lines(r.err)), r
    assert len(lab.requests("api")) == 1  # the second request never left the proxy


def test_connection_limit_answers_503(lab, probe_skill):
    d = probe_skill("connlimit", network="api.test")
    r, env, (held,) = run_probe(lab, d, [{"op": "hold", "n": 5, "wait": 1}],
                                env_extra={"SKILLLITE_NETWORK_MAX_CONNECTIONS": "2"})
    replies = [x.get("reply") for x in held["replies"]]
    assert replies.count(None) == 2, held          # two are open, waiting for a request
    assert sum(1 for x in replies if x and " 503 " in x + " ") == 3, held
    assert env["network"]["denied"] == 3
    assert sum("connections are already open" in line for line in denied_lines(r.err)) == 3, r


def test_idle_tunnel_is_closed(lab, probe_skill):
    d = probe_skill("idle", network="api.test")
    r, env, (res,) = run_probe(lab, d, [{"op": "idle", "target": "api.test:80", "sleep": 3}],
                               env_extra={"SKILLLITE_NETWORK_IDLE_SECS": "1"})
    assert res["head"].startswith("HTTP/1.1 200"), res
    assert not res.get("reply"), res  # the proxy closed the quiet tunnel: nothing comes back
    rec = one_record(env["network"], "api.test", 80, "CONNECT")
    assert rec["decision"] == "allowed" and rec.get("closed") == "idle timeout", rec
    assert lab.requests("api") == []  # the GET after the idle period never arrived


@pytest.mark.slow
def test_incomplete_request_head_times_out_with_408(lab, probe_skill):
    d = probe_skill("slowhead", network="api.test")
    ops = [raw("CONNECT api.test:80 HTTP/1.1\r\nHost: api.test", wait=15)]  # never finished
    r, env, (res,) = run_probe(lab, d, ops)
    assert res["status"] == 408, res
    rec = env["network"]["requests"][0]
    assert (rec["decision"], rec["reason"]) == ("denied", "timeout"), rec


def test_system_ca_certificates_are_there_with_grants(lab, probe_skill):
    """Real HTTPS needs the host's CA bundle: /etc/ssl/certs is bound read-only with grants
    (and absent without: the sandbox's /etc is a stub)."""
    d = probe_skill("cacerts", network="api.test")
    r, env, (res,) = run_probe(lab, d, [{"op": "cafile"}])
    assert res["ok"] and res["certs"] > 50 and res["loaded"] > 50, res
    r, env, (res,) = run_probe(lab, d, [{"op": "cafile"}], "--no-network")
    assert res["ok"] is False, res


# --- a CONNECT tunnel's TLS server name must be the granted host (no domain fronting) ----------


def test_tls_server_name_must_match_the_tunnel(lab, probe_skill):
    d = probe_skill("sni", network="api.test")
    ops = [{"op": "tls", "target": "api.test:443", "sni": "other.test"},
           {"op": "tls", "target": "api.test:443", "sni": "API.test"}]
    r, env, (fronted, same) = run_probe(lab, d, ops)
    assert fronted["ok"] is False, fronted        # the proxy closed the tunnel before TLS
    assert same["ok"] is True and "tls-probe" in same["reply"], same
    net = env["network"]
    bad, good = net["requests"]
    assert (bad["decision"], bad["reason"], bad["tls_sni"]) == ("denied", "sni_mismatch", "other.test"), bad
    assert (good["decision"], good["reason"], good["tls_sni"]) == ("allowed", "ok", "api.test"), good
    assert net["allowed"] == 1 and net["denied"] == 1
    assert any("TLS server name 'other.test'" in line for line in denied_lines(r.err)), r
    assert [q["path"] for q in lab.requests("api-tls")] == ["/tls-probe"]  # only the honest one


def test_tls_without_server_name_and_plain_tcp_pass_the_tunnel(lab, probe_skill):
    """An IP client sends no SNI, and a tunnel may carry another protocol: both only reach the
    granted host, so both pass."""
    d = probe_skill("nosni", network="203.0.113.10:443, api.test:80")
    ops = [{"op": "tls", "target": "203.0.113.10:443", "sni": None},
           raw("CONNECT api.test:80 HTTP/1.1\r\nHost: api.test:80\r\n\r\n"
               "GET /plain-in-tunnel HTTP/1.0\r\nHost: api.test\r\n\r\n")]
    r, env, (tls, plain) = run_probe(lab, d, ops)
    assert tls["ok"] is True and "tls-probe" in tls["reply"], tls
    assert plain["status"] == 200 and "plain-in-tunnel" in plain["body"], plain
    recs = env["network"]["requests"]
    assert [x["tls_sni"] for x in recs] == ["(none)", "(not TLS)"], recs
    assert all(x["decision"] == "allowed" for x in recs), recs


def test_request_cap_per_run(lab, probe_skill):
    """At most 1024 requests per run: the 1025th is answered 503 and never leaves the proxy."""
    d = probe_skill("reqcap", network="api.test")
    r, env, (res,) = run_probe(lab, d, [{"op": "many", "n": 1026, "url": "http://api.test/n", "host": "api.test"}])
    assert res["statuses"][:1024] == [200] * 1024, res["statuses"][:5]
    assert res["statuses"][1024:] == [503, 503], res["statuses"][1024:]
    net = env["network"]
    assert (net["allowed"], net["denied"]) == (1024, 2)
    assert len(net["requests"]) == 256 and net["requests_dropped"] == 1026 - 256  # the record is capped
    assert len(lab.requests("api")) == 1024


@pytest.mark.slow
def test_unanswered_connect_times_out_with_504(lab, probe_skill):
    """203.0.113.20:81 never answers a SYN (netlab_server's blackhole): 504 after 10 s."""
    d = probe_skill("connto", network="other.test:81")
    r, env, (res,) = run_probe(lab, d, [raw("GET http://other.test:81/x HTTP/1.1\r\nHost: other.test:81\r\n\r\n",
                                            wait=20)])
    assert res["status"] == 504, res
    rec = env["network"]["requests"][0]
    assert (rec["decision"], rec["reason"]) == ("denied", "timeout"), rec
    assert 9000 <= rec["duration_ms"] < 15000, rec


def test_name_with_a_public_and_a_loopback_address_is_refused_whole(lab, probe_skill):
    """mixed.test resolves to 203.0.113.20 and 127.0.0.1 (what DNS rebinding looks like): refused,
    even though one answer is public, and neither server hears anything."""
    d = probe_skill("mixed", network="mixed.test")
    r, env, (res,) = run_probe(lab, d, [http("http://mixed.test/x")])
    assert_http_403(res)
    rec = assert_denied(r, env["network"], "mixed.test", 80, "private_address")
    assert rec["address"] == "127.0.0.1", rec
    assert lab.heard("other", "loop80") == []
