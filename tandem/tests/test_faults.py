"""SIGKILL mid-write: a web worker killed inside the people import, and the task worker
killed inside a job. Real processes (gunicorn, the task worker) on a SQLite database
of their own; the kills land at a point the processes report (see faults_jobs.py), so
nothing here depends on timing.

What must hold: what was committed before stays; what was being written is all or
nothing; the server and the worker carry on once restarted, and the interrupted job
runs again and completes.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.own_process

ROOT = Path(__file__).resolve().parents[2]
TANDEM = str(Path(sys.executable).parent / "tandem")
BIG_IMPORT = 3000  # more than one insert batch (importing.BATCH_SIZE), so the hold is mid-write


# The child processes run on their own SQLite database, whatever leg the suite is on.
_NOT_INHERITED = ("DATABASE_URL", "PYTEST_XDIST_WORKER")


class Site:
    def __init__(self, var_dir: Path) -> None:
        self.var_dir = var_dir
        self.database = var_dir / "tandem.sqlite3"
        self.hold = var_dir / "hold"
        self.env = {
            **{
                k: v
                for k, v in os.environ.items()
                if k not in ("DATABASE_URL", "PYTEST_XDIST_WORKER")
            },
            "TANDEM_TESTING": "false",
            "DEBUG": "true",
            "TANDEM_VAR_DIR": str(var_dir),
            "ALLOWED_HOSTS": "127.0.0.1",
            "EMAIL_URL": "locmem://",
            "DJANGO_SETTINGS_MODULE": "tandem.settings",
            "FAULTS_HOLD": str(self.hold),
            "LOG_LEVEL": "WARNING",
        }

    def run(self, *args: str) -> str:
        return subprocess.run(  # noqa: S603  (our own commands)
            args, env=self.env, cwd=ROOT, check=True, capture_output=True, text=True
        ).stdout.strip()

    def helper(self, *args: str) -> str:
        return self.run(sys.executable, "-m", "tandem.tests.faults_jobs", *args)

    def query(self, sql: str, *params: object) -> list[tuple]:
        with sqlite3.connect(self.database) as connection:
            return connection.execute(sql, params).fetchall()

    def arm(self) -> None:
        self.hold.touch()

    def wait_held(self, process: subprocess.Popen) -> int:
        """The pid of the process that stopped mid-write (a worker of `process`)."""
        held = Path(f"{self.hold}.held")
        for _ in range(600):
            if held.exists() and held.read_text():
                pid = int(held.read_text())
                held.unlink()
                return pid
            assert process.poll() is None, "the process ended before reaching the hold"
            time.sleep(0.5)
        raise AssertionError("the write never reached the hold point")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    site = Site(tmp_path_factory.mktemp("faults"))
    site.run(TANDEM, "migrate", "--verbosity", "0")
    site.helper("setup")
    return site


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(site: Site) -> Iterator[tuple[subprocess.Popen, str]]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603  (our own command)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "tandem.wsgi",
            "--config",
            str(ROOT / "tandem" / "tests" / "faults_gunicorn.py"),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        env=site.env,
        cwd=ROOT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            assert process.poll() is None, "gunicorn did not start"
            try:
                if requests.get(url + "/healthz", timeout=30).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        yield process, url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def _signed_in(url: str) -> requests.Session:
    session = requests.Session()
    session.get(url + "/accounts/login/", timeout=60)
    response = session.post(
        url + "/accounts/login/",
        data={
            "username": "fault-admin",
            "password": "fault-password",
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302
    return session


def _hris_file(prefix: str, count: int) -> bytes:
    lines = ["employee_id,first_name,last_name,email,level,hire_date"]
    lines += [
        f"{prefix}{n:05d},Imported,Person {n},{prefix.lower()}{n}@example.com,"
        f"individual_contributor,2024-01-15"
        for n in range(count)
    ]
    return ("\n".join(lines) + "\n").encode()


def _import(session: requests.Session, url: str, prefix: str, count: int) -> requests.Response:
    session.get(url + "/people/import/", timeout=60)
    return session.post(
        url + "/people/import/",
        data={"csrfmiddlewaretoken": session.cookies["csrftoken"]},  # no dry_run: a real import
        files={"file": (f"{prefix}.csv", _hris_file(prefix, count), "text/csv")},
        timeout=600,
    )


def _people(site: Site, prefix: str) -> int:
    return site.query("SELECT COUNT(*) FROM people_person WHERE employee_id LIKE ?", prefix + "%")[
        0
    ][0]


def test_it_keeps_committed_data_and_writes_nothing_of_an_import_killed_mid_write(site, server):
    process, url = server
    session = _signed_in(url)
    assert _import(session, url, "KEPT", 5).status_code == 200
    assert _people(site, "KEPT") == 5

    site.arm()
    outcome: dict[str, object] = {}

    def big_import() -> None:
        try:
            outcome["response"] = _import(session, url, "BIG", BIG_IMPORT)
        except requests.RequestException as error:  # the worker died under the request
            outcome["error"] = error

    thread = threading.Thread(target=big_import)
    thread.start()
    worker = site.wait_held(process)
    assert worker != process.pid, "the hold is in a worker, not in the gunicorn master"
    os.kill(worker, signal.SIGKILL)
    thread.join(timeout=120)

    assert "response" not in outcome or outcome["response"].status_code >= 500
    assert _people(site, "BIG") == 0, "a killed import left people behind"
    assert _people(site, "KEPT") == 5, "committed people were lost"
    assert (
        site.query(
            "SELECT COUNT(*) FROM people_jobchange jc JOIN people_person p "
            "ON p.id = jc.person_id WHERE p.employee_id LIKE 'BIG%'"
        )[0][0]
        == 0
    )
    assert site.query("PRAGMA integrity_check") == [("ok",)]

    # gunicorn replaces the worker; the same import then goes through in full.
    retry = _import(_signed_in(url), url, "BIG", BIG_IMPORT)
    assert retry.status_code == 200
    assert _people(site, "BIG") == BIG_IMPORT


def _job(site: Site, job_id: str) -> tuple[str, str]:
    rows = site.query(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = ?",
        job_id.replace("-", ""),
    )
    assert rows, f"no job {job_id}"
    return rows[0]


def _steps_written(site: Site) -> int:
    return site.query("SELECT COUNT(*) FROM people_orgunit WHERE name LIKE 'Fault step %'")[0][0]


def test_it_retries_a_job_whose_worker_was_killed_and_writes_it_once(site):
    job_id = site.helper("enqueue", "40")
    site.arm()
    worker = subprocess.Popen(  # noqa: S603  (our own command)
        [TANDEM, "worker", "--no-startup-delay", "--interval", "0.2"],
        env=site.env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        pid = site.wait_held(worker)
        assert pid == worker.pid
        os.kill(pid, signal.SIGKILL)
        worker.wait(timeout=60)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)

    assert _steps_written(site) == 0, "the killed job left part of its writes"
    assert _job(site, job_id)[0] == "RUNNING"

    # django-tasks-db alone never looks at a RUNNING job again; `tandem worker` puts a
    # dead worker's job back in the queue as it starts (tandem.taskrecovery), and it
    # runs again, once.
    site.run(TANDEM, "worker", "--batch", "--no-startup-delay")
    status, worker_ids = _job(site, job_id)
    assert status == "SUCCESSFUL"
    assert _steps_written(site) == 40
    assert worker_ids.count(":") >= 4, "claimed by the killed worker, then by the new one"


# The recovery's rules, in-process: which RUNNING jobs are put back, which are left.


def _running_job(worker_ids: list[str], started_minutes_ago: int = 1):
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    return DBTaskResult.objects.create(
        status="RUNNING",
        task_path="tandem.tests.faults_jobs.write_in_steps",
        args_kwargs={"args": [1], "kwargs": {}},
        backend_name="default",
        run_after=now,
        started_at=now - timedelta(minutes=started_minutes_ago),
        worker_ids=worker_ids,
    )


def _dead_pid() -> int:
    """A process id of this host that no longer runs."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.django_db
def test_the_recovery_requeues_dead_local_workers_jobs_and_leaves_live_ones():
    from tandem import taskrecovery

    host = socket.gethostname()[:40]
    dead = _running_job([f"{host}:{_dead_pid()}:aa"])
    alive = _running_job([f"{host}:{os.getpid()}:bb"])
    remote_recent = _running_job(["other-host:12:cc"], started_minutes_ago=5)
    remote_stale = _running_job(["other-host:12:dd"], started_minutes_ago=61)

    requeued = taskrecovery.requeue_abandoned(lease=timedelta(hours=1))

    assert sorted(requeued) == sorted([str(dead.pk), str(remote_stale.pk)])
    for job, status in ((dead, "READY"), (alive, "RUNNING"), (remote_recent, "RUNNING")):
        job.refresh_from_db()
        assert job.status == status


@pytest.mark.django_db
def test_the_recovery_fails_a_job_that_keeps_killing_its_worker():
    from tandem import taskrecovery

    host = socket.gethostname()[:40]
    job = _running_job([f"{host}:{_dead_pid()}:{n}" for n in range(taskrecovery.MAX_CLAIMS)])

    assert taskrecovery.requeue_abandoned() == []
    job.refresh_from_db()
    assert job.status == "FAILED"
    assert job.exception_class_path.endswith("WorkerDied")
