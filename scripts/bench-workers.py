#!/usr/bin/env python3
"""Ingest throughput of 1, 2 and 4 `khabar worker` processes on PostgreSQL.

Starts the local news server (examples/news_server: real Reuters stories
behind RSS feeds on 127.0.0.1), then for each worker count drains the whole
site into a fresh PostgreSQL schema with `khabar worker --until-idle` and
reports wall time, stories per second, and how the CPU time splits between
the workers and the database server (the database's share of the work).

    cargo build --release --bin khabar --example news_server
    scripts/bench-workers.py [--sources 100] [--per-source 10] [--counts 1,2,4]
                             [--latency-ms 0] [--statements]

Needs psql and PostgreSQL at KHABAR_TEST_PG_URL (default the local `test`
database). CPU of the database is read from /proc for every `postgres`
process (backends that exit are counted through the postmaster's children
times), so run it on a machine where nothing else uses that server.
"""

import argparse
import json
import os
import subprocess
import sys
import time

TICKS = os.sysconf("SC_CLK_TCK")


def postgres_cpu():
    """CPU seconds used so far by all postgres processes and their reaped children."""
    total = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        if comm not in ("postgres", "postmaster"):
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
        total += utime + stime + cutime + cstime
    return total / TICKS


def psql(url, sql):
    subprocess.run(["psql", url, "-qAtc", sql], check=True, capture_output=True)


def psql_value(url, sql):
    out = subprocess.run(["psql", url, "-qAtc", sql], check=True, capture_output=True, text=True)
    return out.stdout.strip()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=100)
    ap.add_argument("--per-source", type=int, default=10)
    ap.add_argument("--counts", default="1,2,4")
    ap.add_argument("--jobs", type=int, default=8, help="job_concurrency per worker")
    ap.add_argument("--target", default=os.environ.get("CARGO_TARGET_DIR", "target"))
    ap.add_argument("--latency-ms", type=int, default=0,
                    help="the news server waits this long before each answer, as a distant site does")
    ap.add_argument("--statements", action="store_true",
                    help="print the ten statements with the most database time (needs pg_stat_statements)")
    args = ap.parse_args()
    pg = os.environ.get("KHABAR_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432/test")
    release = os.path.join(args.target, "release")
    khabar = os.path.join(release, "khabar")

    server = subprocess.Popen(
        [os.path.join(release, "examples", "news_server"), "PLACEHOLDER", str(args.sources), str(args.per_source)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "NEWS_SERVER_LATENCY_MS": str(args.latency_ms)},
    )
    # The server prints its config, then serves; read until the last source.
    lines = []
    expected_sources = 7 + args.sources
    while sum(1 for l in lines if l.startswith("[[sources]]")) < expected_sources or not lines[-1].strip() == "":
        line = server.stdout.readline()
        if not line:
            sys.exit("news server stopped early")
        lines.append(line)
    base_config = "".join(lines)

    results = []
    try:
        for n in [int(c) for c in args.counts.split(",")]:
            schema = f"bench_workers_{n}_{os.getpid()}"
            psql(pg, f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
            sep = "&" if "?" in pg else "?"
            url = f"{pg}{sep}options=-c%20search_path%3D{schema}"
            config = base_config.replace('"sqlite://PLACEHOLDER"', f'"{url}"')
            config += f"\n[worker]\njob_concurrency = {args.jobs}\nidle_poll_ms = 100\n"
            path = f"/tmp/khabar-bench-workers-{n}.toml"
            with open(path, "w") as f:
                f.write(config)
            # Migrate and register the sources before the clock starts.
            subprocess.run([khabar, "--config", path, "jobs"], check=True, capture_output=True)
            if args.statements:
                psql(pg, "SELECT pg_stat_statements_reset()")
            pg_before = postgres_cpu()
            started = time.monotonic()
            procs = [
                subprocess.Popen([khabar, "--config", path, "worker", "--until-idle"], stdout=subprocess.PIPE, text=True)
                for _ in range(n)
            ]
            worker_cpu = 0.0
            peak_rss_kb = 0
            for p in procs:
                _, status, usage = os.wait4(p.pid, 0)
                if status != 0:
                    sys.exit(f"worker exited with {status}")
                worker_cpu += usage.ru_utime + usage.ru_stime
                peak_rss_kb = max(peak_rss_kb, usage.ru_maxrss)
            wall = time.monotonic() - started
            pg_cpu = postgres_cpu() - pg_before
            stories = int(psql_value(url, "SELECT COUNT(*) FROM stories"))
            size = int(psql_value(url, "SELECT COALESCE(SUM(pg_total_relation_size(c.oid)),0) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = current_schema() AND c.relkind = 'r'"))
            jobs = psql_value(url, "SELECT state || '=' || COUNT(*) FROM entry_jobs GROUP BY state ORDER BY state")
            row = {
                "workers": n,
                "stories": stories,
                "wall_s": round(wall, 2),
                "stories_per_s": round(stories / wall, 1),
                "worker_cpu_s": round(worker_cpu, 2),
                "postgres_cpu_s": round(pg_cpu, 2),
                "db_share_of_cpu": round(pg_cpu / (pg_cpu + worker_cpu), 3) if pg_cpu + worker_cpu else 0,
                "peak_worker_rss_mb": round(peak_rss_kb / 1024, 1),
                "db_bytes": size,
                "db_bytes_per_story": size // max(stories, 1),
                "jobs": jobs.replace("\n", " "),
                "load_avg_1m": os.getloadavg()[0],
            }
            results.append(row)
            print(json.dumps(row), flush=True)
            if args.statements:
                top = psql_value(pg, "SELECT round(total_exec_time::numeric, 1) || ' ms, ' || calls || ' calls: ' "
                                 "|| left(regexp_replace(query, '\\s+', ' ', 'g'), 150) FROM pg_stat_statements "
                                 "ORDER BY total_exec_time DESC LIMIT 12")
                print(top, flush=True)
            psql(pg, f"DROP SCHEMA {schema} CASCADE")
    finally:
        server.kill()
    return results


if __name__ == "__main__":
    main()
