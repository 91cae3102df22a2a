import json, os, sys

import multiprocessing as mp
def sq(x):
    return x * x
if __name__ == "__main__":
    json.loads(sys.stdin.read())
    with mp.Pool(2) as pool:
        res = pool.map(sq, range(100))
    lock = mp.Lock()  # a POSIX semaphore in /dev/shm
    with lock:
        pass
    print(json.dumps({"ok": res == [x * x for x in range(100)], "detail": {"sum": sum(res), "start": mp.get_start_method()}}))
