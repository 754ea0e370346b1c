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
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--size", type=int, default=100_000, help="people in the organization")
    parser.add_argument("--only", nargs="*", help="run only these benchmarks")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tandem-bench-") as var_dir:
        _configure(var_dir)
        from bench import people_bench

        benchmarks = {"people": people_bench.run}
        for name, run in benchmarks.items():
            if args.only and name not in args.only:
                continue
            run(size=args.size, work_dir=Path(var_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
