"""`make bench`: runs every benchmark against a throwaway SQLite database (or
BENCH_DATABASE_URL), prints a table per benchmark and writes bench/results/<name>.json.

    python -m bench [--size N] [--only NAME ...]
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path


def _configure(var_dir: str) -> None:
    # Production-like settings (DEBUG off), reachable by Django's test client.
    os.environ.update(
        DEBUG="false",
        TANDEM_TESTING="false",
        SECRET_KEY="bench-" + "k" * 60,
        ALLOWED_HOSTS="testserver,127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        TANDEM_VAR_DIR=var_dir,
        EMAIL_URL="locmem://",
        TANDEM_ENCRYPTION_KEYS="rxlocD6W9OZOcQkbOkX3QTOjh3aLIonhpDcs9g3JVYQ=",
        DJANGO_SETTINGS_MODULE="tandem.settings",
    )
    if os.environ.get("BENCH_DATABASE_URL"):
        os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        _fresh_postgres(os.environ["DATABASE_URL"])
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _fresh_postgres(url: str) -> None:
    """An empty database of the URL's name (dropped first if it exists), so every run
    starts from nothing, like the SQLite file in a new temporary directory."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.startswith("tandem_bench"):
        raise SystemExit(
            f"refusing to drop {name!r}: the bench database's name starts with tandem_bench"
        )
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--size", type=int, default=100_000, help="people in the organization")
    parser.add_argument("--subjects", type=int, default=10_000, help="360 subjects (x10 raters)")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as var_dir:
        _configure(var_dir)
        from bench import (
            impact_bench,
            matching_bench,
            people_bench,
            reviews_bench,
            training_bench,
        )

        benchmarks = {
            "people": lambda: people_bench.run(size=args.size, work_dir=Path(var_dir)),
            "reviews": lambda: reviews_bench.run(subjects=args.subjects),
            "matching": lambda: matching_bench.run(),
            "training": lambda: training_bench.run(learners=args.size),
            # Last: it builds and migrates a SQLite database of its own.
            "impact": lambda: impact_bench.run(size=args.size, work_dir=Path(var_dir)),
        }
        for name, run in benchmarks.items():
            if args.only and name not in args.only:
                continue
            run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
