#!/usr/bin/python3
"""What a process start costs before main() on this machine: an empty program linked three ways,
spawned and reaped ROUNDS x RUNS times, interleaved (the VM's speed drifts); prints the median
over rounds of the CPU time per start (user + system, from the children's rusage) and how many
CPUID instructions each executes (bench/cpuid_count.c).

    /usr/bin/python3 bench/process_start.py [ROUNDS] [RUNS]

  no libc       _start makes the exit system call: the kernel's exec, exit and reap
  glibc static  glibc's start-up without the dynamic loader
  glibc dynamic what every ordinary program (the engine, bubblewrap, python3) pays

Needs cc (gcc) with the static glibc (libc6-dev)."""
import os
import resource
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROUNDS = int(sys.argv[1]) if len(sys.argv) > 1 else 6
RUNS = int(sys.argv[2]) if len(sys.argv) > 2 else 300
NO_LIBC = 'void _start(void) { __asm__ volatile("mov $60, %eax; xor %edi, %edi; syscall"); }\n'
EMPTY = "int main(void) { return 0; }\n"


def build(tmp):
    def cc(name, text, *flags):
        src = os.path.join(tmp, name + ".c")
        with open(src, "w") as f:
            f.write(text)
        out = os.path.join(tmp, name)
        subprocess.run(["cc", "-O2", *flags, src, "-o", out], check=True)
        return out
    progs = {"no libc": cc("nolibc", NO_LIBC, "-nostdlib", "-static"),
             "glibc static": cc("static", EMPTY, "-static"),
             "glibc dynamic": cc("dynamic", EMPTY)}
    counter = os.path.join(tmp, "cpuid_count")
    subprocess.run(["cc", "-O2", os.path.join(HERE, "cpuid_count.c"), "-o", counter], check=True)
    return progs, counter


def cpu_per_start(path):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    for _ in range(RUNS):
        pid = os.posix_spawn(path, [path], {})
        os.waitpid(pid, 0)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) / RUNS * 1000


def main():
    with tempfile.TemporaryDirectory(prefix="skilllite-start-") as tmp:
        progs, counter = build(tmp)
        times = {name: [] for name in progs}
        for _ in range(ROUNDS):
            for name, path in progs.items():
                times[name].append(cpu_per_start(path))
        print(f"| program | CPU per start (median of {ROUNDS} rounds of {RUNS}) | CPUID instructions |")
        print("|---|---|---|")
        for name, path in progs.items():
            count = subprocess.run([counter, path], capture_output=True, text=True).stdout.strip()
            print(f"| {name} | {statistics.median(times[name]):.3f} ms | {count} |")


if __name__ == "__main__":
    main()
