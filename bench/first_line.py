#!/usr/bin/python3
"""first_line.py N [--stop] -- COMMAND... — time from exec to the first line COMMAND prints (stdout or
stderr), N times. Prints one figure in milliseconds per line, then '# first line: <text>' once.
Without --stop the command runs to its end each time; with --stop it gets SIGTERM after its first line
and is waited for (up to 60 s, then SIGKILL)."""
import os
import signal
import subprocess
import sys
import time


def main():
    args = sys.argv[1:]
    runs = int(args.pop(0))
    stop = False
    if args and args[0] == "--stop":
        stop = True
        args.pop(0)
    if args and args[0] == "--":
        args.pop(0)
    first = None
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        line = process.stdout.readline()
        elapsed = time.perf_counter() - start
        if stop:
            process.send_signal(signal.SIGTERM)
        process.stdout.read()  # drain until it exits (closes its output)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
        if not line:
            print(f"first_line: {args[0]} printed nothing (exit {process.returncode})", file=sys.stderr)
            sys.exit(1)
        first = first or line.decode(errors="replace").rstrip()
        print(f"{elapsed * 1000:.1f}", flush=True)
        time.sleep(0.2)
    print(f"# first line: {first}")


if __name__ == "__main__":
    main()
