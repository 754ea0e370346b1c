"""`make load`: the whole product under load. On a PostgreSQL database of its own
(created, then dropped), with the demo organization loaded, gunicorn serves Tandem
with several workers on loopback (DEBUG off, production settings except the HTTPS
redirect) and locust runs headless: LOAD_USERS users (50) for LOAD_SECONDS (60)
doing bench/locustfile.py's mix, with LOAD_THINK_SECONDS (3-10) between two actions
of a user. Prints requests, failures, p50/p95/p99 and req/s
per endpoint group and writes bench/results/load.json. Exits non-zero on any failure.

    python -m bench.load     (LOAD_USERS, LOAD_SECONDS, LOAD_THINK_SECONDS, LOAD_WORKERS,
                              LOAD_DATABASE_URL)

gunicorn and locust run in process groups of their own and are stopped, and the
database dropped, however the run ends (Ctrl-C included).
"""

import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.report import print_table, write_result

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/tandem_load"


def _environment(database_url: str, var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TANDEM_TESTING", None)
    env.update(
        DATABASE_URL=database_url,
        DEBUG="false",
        TANDEM_TESTING="false",
        SECRET_KEY="load-" + "k" * 60,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        TANDEM_VAR_DIR=var_dir,
        EMAIL_URL="locmem://",
        TANDEM_ENCRYPTION_KEYS="rxlocD6W9OZOcQkbOkX3QTOjh3aLIonhpDcs9g3JVYQ=",
        DJANGO_SETTINGS_MODULE="tandem.settings",
        PYTHONUNBUFFERED="1",
        # One log line per request would cost more than some requests.
        LOG_LEVEL="WARNING",
    )
    return env


def _admin_url(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name.startswith("tandem_load"):
        raise SystemExit(
            f"refusing to drop {name!r}: the load database's name starts with tandem_load"
        )
    return urlunsplit(parts._replace(path="/postgres")), name


def _recreate(database_url: str, *, drop_only: bool = False) -> None:
    import psycopg

    admin, name = _admin_url(database_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _tandem(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "tandem"), *args], env=env, cwd=ROOT, check=True)  # noqa: S603


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=30) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz in time")


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a process group we started: TERM, then KILL if it lingers."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass


def _prepare_fixture(env: dict[str, str], path: Path, rater_tokens: int) -> None:
    """Runs in a child so this process never holds a connection to the load database."""
    code = (
        "import django, json, sys; django.setup(); "
        "from bench.load_fixture import prepare; "
        f"open(sys.argv[1], 'w').write(json.dumps(prepare(rater_tokens={rater_tokens})))"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], env=env, cwd=ROOT, check=True)  # noqa: S603


def _float(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        return 0.0


def _rows(stats_csv: Path) -> list[dict[str, Any]]:
    rows = []
    with stats_csv.open() as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "group": "total" if row["Name"] == "Aggregated" else row["Name"],
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": _float(row["50%"]),
                    "p95_ms": _float(row["95%"]),
                    "p99_ms": _float(row["99%"]),
                    "max_ms": round(_float(row["Max Response Time"])),
                    "req_per_s": round(_float(row["Requests/s"]), 1),
                }
            )
    return rows


def run(*, users: int, seconds: int, workers: int, database_url: str) -> int:
    gunicorn: subprocess.Popen[bytes] | None = None
    locust: subprocess.Popen[bytes] | None = None
    # Ctrl-C and `kill` take the same way out: through the finally below.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix="tandem-load-") as var_dir:
        env = _environment(database_url, var_dir)
        work = Path(var_dir)
        try:
            print(f"Database {_admin_url(database_url)[1]}: migrate, demo organization …")
            _recreate(database_url)
            _tandem(env, "migrate", "--verbosity", "0")
            _tandem(env, "demo", "--verbosity", "0")
            _tandem(env, "collectstatic", "--no-input", "--verbosity", "0")
            fixture = work / "fixture.json"
            # Enough single-use links that raters do not run out before the end.
            _prepare_fixture(env, fixture, rater_tokens=max(100, users * seconds // 4))
            port = _free_port()
            host = f"http://127.0.0.1:{port}"
            gunicorn = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "tandem.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--config",
                    "python:bench.load_gunicorn",
                    "--log-level",
                    "warning",
                ],
                env={**env, "LOAD_FIXTURE": str(fixture)},
                cwd=ROOT,
                start_new_session=True,
            )
            _wait_healthy(host, gunicorn)
            print(f"gunicorn ({workers} workers) at {host}; locust: {users} users for {seconds} s")
            prefix = work / "locust"
            log = (work / "locust.log").open("w")
            locust = subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "locust",
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(users),
                    "--spawn-rate",
                    str(max(1, users // 10)),
                    "--run-time",
                    f"{seconds}s",
                    "--stop-timeout",
                    "10",
                    "--host",
                    host,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env={**env, "LOAD_FIXTURE": str(fixture)},
                cwd=ROOT,
                start_new_session=True,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            load_before = os.getloadavg()[0]
            locust.wait()
            load_after = os.getloadavg()[0]
            rows = _rows(Path(f"{prefix}_stats.csv"))
            failures_csv = Path(f"{prefix}_failures.csv")
            failure_lines = (
                failures_csv.read_text().splitlines()[1:] if failures_csv.exists() else []
            )
            if locust.returncode not in (0, 1):  # 1: the run had failures, reported below
                print((work / "locust.log").read_text()[-3000:])
        finally:
            _stop(locust)
            _stop(gunicorn)
            _recreate(database_url, drop_only=True)
    total = next(row for row in rows if row["group"] == "total")
    print_table(f"Load: {users} users for {seconds} s, gunicorn with {workers} workers", rows)
    for line in failure_lines:
        print("  failure:", line)
    path = write_result(
        "load",
        {
            "users": users,
            "seconds": seconds,
            "think_seconds": os.environ.get("LOAD_THINK_SECONDS", "3-10"),
            "gunicorn_workers": workers,
            "database": "postgresql",
            "requests": total["requests"],
            "failures": total["failures"],
            "p50_ms": total["p50_ms"],
            "p95_ms": total["p95_ms"],
            "p99_ms": total["p99_ms"],
            "req_per_s": total["req_per_s"],
            # Latency depends on what else the machine runs: its 1-minute load average
            # as the run began and ended (locust and gunicorn included).
            "load_average": [round(load_before, 1), round(load_after, 1)],
            "groups": [row for row in rows if row["group"] != "total"],
            "failure_details": failure_lines,
        },
    )
    print(f"machine load average {load_before:.1f} at the start, {load_after:.1f} at the end")
    print(f"\nwritten to {path.relative_to(ROOT)}")
    return 0 if total["failures"] == 0 and total["requests"] > 0 else 1


def main() -> int:
    try:
        return _run_from_environment()
    except KeyboardInterrupt:
        print("\nInterrupted: gunicorn and locust stopped, the load database dropped.")
        return 130


def _run_from_environment() -> int:
    return run(
        users=int(os.environ.get("LOAD_USERS", "50")),
        seconds=int(os.environ.get("LOAD_SECONDS", "60")),
        workers=int(os.environ.get("LOAD_WORKERS", "4")),
        database_url=os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL),
    )


if __name__ == "__main__":
    sys.exit(main())
