"""Deterministic start-up memory of a binary: run it under gdb (no ASLR, warm page cache), stop at
exit_group, and sum /proc/PID/smaps by mapping. `make size` measures the peak RSS with
/usr/bin/time, which moves by 200-400 KiB between runs (fault-around maps whatever of the binary
is in the page cache); this number repeats. The "RSS at exit, gdb" column of docs/BENCHMARKS.md.

    gdb -q -batch -x bench/exit_rss.py --args BINARY --version
"""
import gdb  # noqa: F401  (gdb's embedded Python)

gdb.execute("catch syscall exit_group")
gdb.execute("run > /dev/null")
pid = gdb.selected_inferior().pid
rss = {}
current = None
with open(f"/proc/{pid}/smaps") as f:
    for line in f:
        parts = line.split()
        if "-" in parts[0] and len(parts) >= 5 and ":" in parts[3]:
            current = parts[5] if len(parts) > 5 else "[anon]"
        elif parts[0] == "Rss:":
            rss[current] = rss.get(current, 0) + int(parts[1])
for name, kib in sorted(rss.items(), key=lambda kv: -kv[1]):
    if kib:
        print(f"{kib:6d} KiB  {name}")
print(f"{sum(rss.values()):6d} KiB  total")
gdb.execute("kill")
