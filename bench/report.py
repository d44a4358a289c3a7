#!/usr/bin/python3
"""report.py RAW META — the Markdown report of bench/run.sh: medians, ratios, targets, machine, raw figures.

RAW: tab-separated lines  measure  variant  rep  value  unit
META: tab-separated lines key  value (machine description and the run's settings)."""
import statistics
import sys
from collections import OrderedDict


def load(raw_path, meta_path):
    figures = OrderedDict()
    units = {}
    with open(raw_path, encoding="utf-8") as raw:
        for line in raw:
            if not line.strip():
                continue
            measure, variant, rep, value, unit = line.rstrip("\n").split("\t")[:5]
            key = f"{measure}/{variant}"
            figures.setdefault(key, []).append((rep, float(value)))
            units[key] = unit
    meta = OrderedDict()
    with open(meta_path, encoding="utf-8") as lines:
        for line in lines:
            if "\t" in line:
                key, value = line.rstrip("\n").split("\t", 1)
                meta[key] = value
    return figures, units, meta


def median(figures, key):
    values = [value for _, value in figures.get(key, [])]
    return statistics.median(values) if values else None


def fmt(value, unit):
    if value is None:
        return "—"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.0f} ms"
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "MB/s":
        return f"{value:.1f} MB/s"
    if unit == "tps":
        return f"{value:.0f} tps"
    if unit == "%":
        return f"{value:.3f} %"
    if unit == "bytes":
        if value >= 1024 * 1024:
            return f"{value / 1024 / 1024:.2f} MiB"
        if value >= 1024:
            return f"{value / 1024:.1f} KiB"
        return f"{value:.0f} B"
    return f"{value:g} {unit}"


def main():
    figures, units, meta = load(sys.argv[1], sys.argv[2])
    rows = []

    def ratio_row(label, worker, baseline, limit, target=None):
        """limit None: a breakdown, shown without a verdict."""
        w, b = median(figures, worker), median(figures, baseline)
        if w is None and b is None:
            return
        unit = units.get(worker) or units.get(baseline)
        if w is not None and b is not None and b > 0:
            ratio = w / b
            cell = f"{ratio:.3f}"
            met = "—" if limit is None else ("yes" if ratio <= limit else "**no**")
        else:
            cell, met = "n/a", "n/a" if limit is not None else "—"
        rows.append((label, fmt(w, unit), fmt(b, unit), cell, target or f"≤ {limit:g}", met))

    def overhead_row(label, worker, baseline, limit):
        w, b = median(figures, worker), median(figures, baseline)
        if w is None and b is None:
            return
        if w is not None and b is not None:
            cell = f"{w - b:+.2f} s"
            met = "yes" if w - b <= limit else "**no**"
        else:
            cell, met = "n/a", "n/a"
        rows.append((label, fmt(w, "s"), fmt(b, "s"), cell, f"overhead ≤ {limit:g} s", met))

    def single_row(label, key, limit=None, target=None):
        value = median(figures, key)
        if value is None:
            return
        met = "—" if limit is None else ("yes" if value <= limit else "**no**")
        rows.append((label, fmt(value, units[key]), "", "", target or ("—" if limit is None else f"≤ {fmt(limit, units[key])}"), met))

    retry = meta.get("worker retry seconds", "5")
    # bench/run.sh --transport: bootstrap and catch-up figures over TLS are named tls-*; when there are any, every
    # bootstrap and catch-up row says its transport and the SSH and TLS rows of a measurement sit side by side.
    tls_run = any(key.split("/", 1)[1].startswith("tls-") for key in figures if key.startswith(("bootstrap/", "catchup/")))
    transports = [p for p in ("", "tls-") if any(key.startswith((f"bootstrap/{p}", f"catchup/{p}")) and (p or "/tls-" not in key) and key != "catchup/wal-mb" for key in figures)]
    ssh_only = [p for p in transports if not p]

    def tag(p):
        return "" if not tls_run else ("[TLS] " if p else "[SSH] ")

    # 1. Bootstrap (1a, the key authorized while the worker waits, is measured over SSH only)
    for p in ssh_only:
        ratio_row(f"1a. {tag(p)}Bootstrap: key authorized → streaming (pg_stat_wal_receiver)", f"bootstrap/{p}worker-auth-walrcv", f"bootstrap/{p}baseline-walrcv", 1.05)
    for p in ssh_only:
        ratio_row(f"1a. {tag(p)}Bootstrap: key authorized → worker reports `streaming` (status.json)", f"bootstrap/{p}worker-auth-status", f"bootstrap/{p}baseline-walrcv", 1.05)
    for p in ssh_only:
        single_row(f"1a. {tag(p)}key authorized → worker leaves `waiting_for_key_authorization` (its next check, then the pre-restore checks)", f"bootstrap/{p}worker-auth-noticed",
                   float(retry), f"within seconds (≤ PGSTANDBY_RETRY_SECONDS = {retry} s)")
    for p in transports:
        what = "certificate signed and placed" if p else "key authorized"
        ratio_row(f"1b. {tag(p)}Bootstrap: start ({what}) → streaming (pg_stat_wal_receiver)", f"bootstrap/{p}worker-start-walrcv", f"bootstrap/{p}baseline-walrcv", 1.05)
    for p in transports:
        ratio_row(f"1b. {tag(p)}Bootstrap: start → worker reports `streaming` (status.json)", f"bootstrap/{p}worker-start-status", f"bootstrap/{p}baseline-walrcv", 1.05)
    for p in transports:
        ratio_row(f"1. {tag(p)}of which: the restore (worker: state `restoring` → `starting_postgres`)", f"bootstrap/{p}worker-restore", f"bootstrap/{p}baseline-restore", None, "— (breakdown)")
    for p in transports:
        ratio_row(f"1. {tag(p)}of which: restore done → streaming (pg_stat_wal_receiver)", f"bootstrap/{p}worker-restored-to-walrcv", f"bootstrap/{p}baseline-restored-to-walrcv", None, "— (breakdown)")
    # 2. Restart
    overhead_row("2. Restart of a complete standby → streaming (pg_stat_wal_receiver)", "restart/worker-walrcv", "restart/baseline-walrcv", 0.5)
    overhead_row("2. Restart → worker reports `streaming` (status.json)", "restart/worker-status", "restart/baseline-walrcv", 0.5)
    # 3. Catch-up
    wal = median(figures, "catchup/wal-mb")
    volume = f"{wal:.0f} MB of WAL" if wal else "WAL"
    for p in transports:
        ratio_row(f"3. {tag(p)}Catch-up of {volume} from the archive, streaming refused: worker vs synchronous `archive-get`", f"catchup/{p}worker", f"catchup/{p}sync", 1.0,
                  "< 1 (faster than synchronous; assumed, no target given)")
    for p in transports:
        ratio_row(f"3. {tag(p)}Catch-up of {volume}: worker vs asynchronous `archive-get` by hand", f"catchup/{p}worker", f"catchup/{p}async", 1.05,
                  "≤ 1.05 (assumed, no target given)")
    # 4. Streaming under load
    for stat in ("p50", "p99"):
        ratio_row(f"4. Streaming under pgbench load: replay lag {stat}, bytes", f"streaming/worker-bytes-{stat}", f"streaming/baseline-bytes-{stat}", 1.1)
    for stat in ("p50", "p99"):
        ratio_row(f"4. Streaming under pgbench load: replay lag {stat}, seconds (pg_stat_replication.replay_lag)", f"streaming/worker-seconds-{stat}", f"streaming/baseline-seconds-{stat}", 1.1)
    single_row("4. pgbench throughput on the primary while the worker's standby streams (tps)", "streaming/worker-tps", None)
    single_row("4. pgbench throughput on the primary while the hand-made standby streams (tps)", "streaming/baseline-tps", None)
    # 5. Footprint
    single_row("5. Worker RSS, idle streaming (median of 1 s samples)", "footprint/rss-median", 60)
    single_row("5. Worker RSS, idle streaming (largest sample)", "footprint/rss-max", 60)
    single_row("5. Worker peak RSS since its start (VmHWM at the end of the idle window)", "footprint/hwm", 60)
    single_row(f"5. Worker peak RSS during a bootstrap with a restore (VmHWM once streaming){' over SSH' if tls_run else ''}", "footprint/hwm-bootstrap", 60)
    single_row("5. Worker peak RSS during a bootstrap with a restore over TLS (VmHWM once streaming)", "footprint/tls-hwm-bootstrap", 60)
    single_row("5. Worker CPU, idle streaming (utime+stime over the window, % of one core)", "footprint/cpu", 0.2)
    single_row("5. exec → first log line of `pgstandby run`", "footprint/first-line-run", 150)
    single_row("5. exec → first line of `pgstandby show-key`", "footprint/first-line-show-key", 150)
    single_row("5. exec → first line of `pgstandby status`", "footprint/first-line-status", 150)
    single_row("5. Published size (du of the publish folder)", "footprint/publish-size", None)
    # 6. Restore throughput
    default = meta.get("worker process-max", "")
    restore_keys = sorted((key for key in figures if key.startswith("restore/pm")), key=lambda k: int(k.split("pm")[1]))
    best = max((median(figures, key) for key in restore_keys), default=None)
    for key in restore_keys:
        pm = key.split("pm")[1]
        value = median(figures, key)
        if pm == default:
            met = "yes" if best and value >= 0.95 * best else "**no**"
            rows.append((f"6. Restore throughput, process-max {pm} (the worker's default here)", fmt(value, "MB/s"), "", "", "default within 5 % of the best", met))
        else:
            rows.append((f"6. Restore throughput, process-max {pm}", fmt(value, "MB/s"), "", "", "—", "—"))

    out = []
    out.append("# PgStandby benchmark results\n")
    out.append("Produced by `bench/run.sh` (see `bench/run.sh --help`). Medians over the repetitions; worker and baseline runs")
    out.append("alternate in the same run, against the same primary. The baseline is the same job done by hand (pgBackRest and")
    out.append("`pg_ctl`, as in `tests/world/standby-by-hand.sh`). \"met\" compares the median with the target.\n")
    out.append("## Machine and run\n")
    out.append("| | |")
    out.append("|---|---|")
    for key, value in meta.items():
        out.append(f"| {key} | {value} |")
    out.append("\n## Results\n")
    out.append("| measurement | worker | baseline | worker/baseline | target | met |")
    out.append("|---|---|---|---|---|---|")
    for row in rows:
        out.append("| " + " | ".join(row) + " |")
    out.append("\n## Every run's raw figure\n")
    out.append("| measure/variant | unit | runs (rep: value) | median |")
    out.append("|---|---|---|---|")
    for key, values in figures.items():
        listed = ", ".join(f"{rep}: {value:g}" for rep, value in values)
        out.append(f"| {key} | {units[key]} | {listed} | {median(figures, key):g} |")
    print("\n".join(out))


if __name__ == "__main__":
    main()
