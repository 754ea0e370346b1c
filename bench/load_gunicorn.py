"""gunicorn settings for `make load` (bench/load.py): the application is loaded, and
each page of the mix rendered once, in the master before the workers fork.

Otherwise every worker pays on its first requests what a long-running server pays
once: importing every app's views and the libraries they load on first use
(matplotlib, lifelines, scipy …) and compiling the templates, several seconds each
on a small machine, which a one-minute run would count as latency."""

import json
import os
from typing import Any

preload_app = True
# A worker's first request may still be slow on a busy machine; never kill it for that.
timeout = 120


def _pages(fixture: dict[str, Any]) -> dict[str, list[str]]:
    program = fixture["admin"]["programs"][0]
    return {
        "participant": ["/", *(f"/programs/plans/{pk}/" for pk in fixture["participant"]["plans"])],
        "manager": ["/", "/programs/team/"],
        "coach": ["/coaching/"],
        "admin": [
            "/impact/",
            f"/programs/{program}/",
            f"/impact/programs/{program}/",
            *(f"/assessments/reviews/{pk}/report/" for pk in fixture["admin"]["reports"][:1]),
        ],
        "executive": ["/impact/", "/impact/executives/"],
    }


def when_ready(server: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client

    fixture = json.loads(open(os.environ["LOAD_FIXTURE"]).read())  # noqa: SIM115
    users = get_user_model().objects
    for username, paths in _pages(fixture).items():
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users.get(username=username))
        for path in paths:
            status = client.get(path).status_code
            if status != 200:
                server.log.warning("warm-up: %s %s answered %s", username, path, status)
    # The workers must not share the master's database connection.
    connections.close_all()
