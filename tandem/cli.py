"""The `tandem` command: the project's management commands, plus `serve` and `worker`.

    tandem demo [--size N --seed S]     load the demo organization
    tandem import-people FILE [--dry-run]
    tandem createtoken USER [--name N] [--expires-days D]
    tandem import-instrument FILE…      tandem export-instrument KEY
    tandem rotate-keys [--check]        re-encrypt confidential text under the newest key
    tandem serve [--host H --port P --workers N]
    tandem worker [--batch]             background jobs and periodic jobs
                                        (--batch: run what is due, then exit)
    tandem migrate, tandem check, …     any Django management command

Commands may be written with dashes or underscores.
"""

import argparse
import os
import sys
import threading


def _serve(argv: list[str]) -> None:
    from django.conf import settings
    from django.core.management import call_command

    parser = argparse.ArgumentParser(prog="tandem serve")
    parser.add_argument("--host", default=os.environ.get("TANDEM_HOST", "127.0.0.1"))
    parser.add_argument("--port", default=os.environ.get("TANDEM_PORT", "8000"))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 3)))
    args = parser.parse_args(argv)
    if settings.DEBUG:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
        return
    call_command("collectstatic", interactive=False, verbosity=0)
    os.execvp(  # noqa: S606  (replaces this process with gunicorn; arguments are ours)
        sys.executable,
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tandem.wsgi",
            "--bind",
            f"{args.host}:{args.port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "-",
        ],
    )


def _worker(argv: list[str]) -> None:
    """The task worker, with the periodic-job scheduler beside it. Due periodic jobs are
    enqueued before the worker starts, so `tandem worker --batch` from cron runs them too."""
    from django.core.management import call_command

    from tandem import scheduler, taskrecovery

    # django-tasks-db leaves a job RUNNING for good when its worker dies: put it back.
    for job_id in taskrecovery.requeue_abandoned():
        scheduler.logger.warning("requeued job %s: its worker died while running it", job_id)
    if not any(arg.startswith("--worker-id") for arg in argv):
        argv = [*argv, "--worker-id", taskrecovery.worker_id()]
    for name in scheduler.enqueue_due():
        scheduler.logger.info("enqueued periodic job %s", name)
    if "--batch" in argv:
        call_command("db_worker", "--no-reload", *argv)
        return
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.run_forever, args=(stop,), daemon=True)
    thread.start()
    try:
        call_command("db_worker", "--no-reload", *argv)
    finally:
        stop.set()


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ("serve", "worker"):
        import django

        django.setup()
        {"serve": _serve, "worker": _worker}[argv[1]](argv[2:])
        return
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
