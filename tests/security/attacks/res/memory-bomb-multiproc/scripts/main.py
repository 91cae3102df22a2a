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

import signal
N, MIB = 4, 96
rfd, wfd = os.pipe()
kids = []
for i in range(N):
    pid = os.fork()
    if pid == 0:
        os.close(rfd)
        try:
            blocks = [b"\x01" * (1 << 20) for _ in range(MIB)]
        except MemoryError:
            os._exit(1)
        os.write(wfd, b"+")
        import time
        time.sleep(3)  # hold the memory while the others allocate
        os._exit(0)
    kids.append(pid)
os.close(wfd)
got = b""
while True:
    c = os.read(rfd, 16)
    if not c:
        break
    got += c
status = []
for pid in kids:
    _, st = os.waitpid(pid, 0)
    status.append(("signal %s" % signal.Signals(os.WTERMSIG(st)).name) if os.WIFSIGNALED(st) else "exit %d" % os.WEXITSTATUS(st))
if len(got) == N:
    escaped("%d processes held %d MiB each (%d MiB in total): %s" % (N, MIB, N * MIB, status))
denied("only %d of %d processes got their %d MiB: %s" % (len(got), N, MIB, status))
