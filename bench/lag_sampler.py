#!/usr/bin/python3
"""lag_sampler.py — replay lag of one standby, sampled every INTERVAL seconds until SIGTERM/SIGINT.

Two persistent psql sessions over local sockets (no fork per sample): the primary's (as the OS user
postgres, peer) and the standby's (as root mapped to postgres, or postgres). Both queries are sent
together, then both answers read, so the two positions are taken as close in time as possible.
Each sample line written to OUT: unix_time <TAB> lag_bytes <TAB> lag_seconds, where
  lag_bytes   = primary's pg_current_wal_lsn() - standby's pg_last_wal_replay_lsn() (0 if negative)
  lag_seconds = the primary's pg_stat_replication.replay_lag for APPLICATION_NAME (0 while NULL,
                which postgres reports when the standby has replayed everything it was sent).
"""
import argparse
import signal
import subprocess
import sys
import time


def lsn(text):
    hi, lo = text.strip().split("/")
    return (int(hi, 16) << 32) + int(lo, 16)


def session(command):
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, bufsize=1, cwd="/")


def ask(process, sql):
    process.stdin.write(sql + "\n")
    process.stdin.flush()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--primary-port", required=True)
    parser.add_argument("--primary-socket", default="/var/run/postgresql")
    parser.add_argument("--standby-socket", required=True)
    parser.add_argument("--standby-port", required=True)
    parser.add_argument("--application-name", required=True)
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    psql = ["psql", "-X", "-At", "-q", "-d", "postgres"]
    primary = session(["runuser", "-u", "postgres", "--"] + psql + ["-h", args.primary_socket, "-p", args.primary_port])
    standby = session(psql + ["-U", "postgres", "-h", args.standby_socket, "-p", args.standby_port])
    name = args.application_name.replace("'", "''")
    primary_sql = ("SELECT pg_current_wal_lsn() || '|' || coalesce((SELECT extract(epoch FROM replay_lag)::text "
                   f"FROM pg_stat_replication WHERE application_name = '{name}' LIMIT 1), '0');")
    standby_sql = "SELECT coalesce(pg_last_wal_replay_lsn()::text, '0/0');"

    stop = False

    def on_signal(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    samples = 0
    with open(args.out, "w", encoding="ascii") as out:
        next_tick = time.monotonic()
        while not stop:
            now = time.time()
            ask(standby, standby_sql)
            ask(primary, primary_sql)
            replayed = standby.stdout.readline()
            current = primary.stdout.readline()
            if not replayed or not current:
                print("lag_sampler: a psql session ended", file=sys.stderr)
                break
            position, seconds = current.strip().split("|")
            out.write(f"{now:.3f}\t{max(0, lsn(position) - lsn(replayed))}\t{float(seconds):.6f}\n")
            samples += 1
            next_tick += args.interval
            pause = next_tick - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            else:
                next_tick = time.monotonic()
    for process in (primary, standby):
        process.stdin.close()
        process.wait(timeout=10)
    print(f"lag_sampler: {samples} samples", file=sys.stderr)


if __name__ == "__main__":
    main()
