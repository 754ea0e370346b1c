"""The users `make load` simulates (bench/load.py starts locust on this file).

Each simulated user signs in as one of the demo logins (a session of their own) and
does what that role does through a working day: the participant reads their plan and
updates goal progress and check-ins, the manager runs one-on-ones and checks in on
their team, the coach records session notes and coaching-goal progress, the admin and
the executive read the dashboards and 360 reports, and anonymous raters answer a 360
through their single-use links. Request names are endpoint groups, so the report
sums them up per kind of request.

The ids and rater tokens come from the JSON file named by LOAD_FIXTURE
(bench/load_fixture.py).
"""

import json
import os
import random
from datetime import date, timedelta
from typing import Any

from locust import HttpUser, between, task

FIXTURE: dict[str, Any] = json.loads(
    open(os.environ["LOAD_FIXTURE"]).read()  # noqa: SIM115 (read once at import)
)
# One locust process runs every user (gevent), so a plain list hands each rater a
# token no other rater gets.
RATER_TOKENS: list[str] = list(FIXTURE["rater"]["tokens"])
# Seconds a person spends between two actions (reading, typing): LOAD_THINK_SECONDS=3-10.
_LOW, _HIGH = (float(x) for x in os.environ.get("LOAD_THINK_SECONDS", "3-10").split("-"))
think_time = between(_LOW, _HIGH)


def _today() -> str:
    return date.today().isoformat()


def _in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


class SignedInUser(HttpUser):
    abstract = True
    wait_time = think_time
    username = ""

    def on_start(self) -> None:
        self.client.get("/accounts/login/", name="page: login")
        response = self.client.post(
            "/accounts/login/",
            data={
                "username": self.username,
                "password": FIXTURE["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="page: login",
            allow_redirects=False,
        )
        if response.status_code != 302:
            response.failure(f"{self.username} could not sign in: {response.status_code}")

    def api(self, method: str, path: str, name: str, body: Any) -> None:
        """A change through the API with the browser session (CSRF header required)."""
        with self.client.request(
            method,
            "/api/v1" + path,
            json=body,
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            name=name,
            catch_response=True,
        ) as response:
            if response.status_code >= 300:
                response.failure(f"{response.status_code}: {response.text[:300]}")
            else:
                response.success()


class Participant(SignedInUser):
    weight = 4
    username = "participant"
    mine = FIXTURE["participant"]

    @task(3)
    def home(self) -> None:
        self.client.get("/", name="page: home")

    @task(3)
    def plan(self) -> None:
        self.client.get(f"/programs/plans/{random.choice(self.mine['plans'])}/", name="page: plan")

    @task(2)
    def goal_progress(self) -> None:
        goal = random.choice(self.mine["goals"])
        self.api(
            "PATCH",
            f"/plans/{goal['plan']}/goals/{goal['goal']}",
            "api: goal progress",
            {"progress": random.randint(0, 100)},
        )

    @task(1)
    def check_in(self) -> None:
        me = self.mine["person"]
        self.api(
            "POST",
            f"/plans/{random.choice(self.mine['plans'])}/check-ins",
            "api: plan check-in",
            {
                "held_on": _today(),
                "attendee_ids": [me, self.mine["manager"]],
                "progress": "Tried the delegation checklist with two projects.",
                "next_steps": [
                    {"title": "Ask for feedback", "owner_id": me, "due_date": _in_days(7)}
                ],
            },
        )


class Manager(SignedInUser):
    weight = 3
    username = "manager"
    mine = FIXTURE["manager"]

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="page: home")

    @task(2)
    def team(self) -> None:
        self.client.get("/programs/team/", name="page: team plans")

    @task(2)
    def agenda_item(self) -> None:
        series = random.choice(self.mine["series"])
        with self.client.post(
            f"/api/v1/conversations/one-on-ones/{series}/next-meeting",
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            name="api: 1:1 next meeting",
            catch_response=True,
        ) as response:
            if response.status_code >= 300:
                response.failure(f"{response.status_code}: {response.text[:300]}")
                return
            meeting = response.json()["id"]
        self.api(
            "POST",
            f"/conversations/one-on-ones/meetings/{meeting}/agenda",
            "api: 1:1 agenda item",
            {"text": "How the hand-over of the release went"},
        )

    @task(1)
    def check_in(self) -> None:
        if not self.mine["team_plans"]:
            return
        plan = random.choice(self.mine["team_plans"])
        self.api(
            "POST",
            f"/plans/{plan['plan']}/check-ins",
            "api: plan check-in",
            {
                "held_on": _today(),
                "attendee_ids": [plan["person"], self.mine["person"]],
                "progress": "Reviewed the goal and what got in the way.",
                "next_steps": [
                    {
                        "title": "Book the stretch project",
                        "owner_id": plan["person"],
                        "due_date": _in_days(14),
                    }
                ],
            },
        )


class Coach(SignedInUser):
    weight = 2
    username = "coach"
    mine = FIXTURE["coach"]

    @task(2)
    def coaching_home(self) -> None:
        self.client.get("/coaching/", name="page: coaching")

    @task(2)
    def session_notes(self) -> None:
        session = random.choice(self.mine["sessions"])
        self.client.get(f"/api/v1/coaching/sessions/{session}/notes", name="api: session notes")
        self.api(
            "PUT",
            f"/coaching/sessions/{session}/notes",
            "api: session notes update",
            {
                "goal": "Delegate the quarterly planning",
                "reality": "Still reviews every line item herself.",
                "options": "Pair with a deputy; agree checkpoints.",
                "will": "Hand over one workstream by Friday.",
            },
        )

    @task(1)
    def goal_progress(self) -> None:
        self.api(
            "PATCH",
            f"/coaching/goals/{random.choice(self.mine['goals'])}",
            "api: coaching goal progress",
            {"progress": random.randint(0, 100)},
        )


class Admin(SignedInUser):
    weight = 2
    username = "admin"
    mine = FIXTURE["admin"]

    @task(2)
    def impact(self) -> None:
        self.client.get("/impact/", name="page: impact dashboard")

    @task(2)
    def program(self) -> None:
        pk = random.choice(self.mine["programs"])
        self.client.get(f"/programs/{pk}/", name="page: program")
        self.client.get(f"/impact/programs/{pk}/", name="page: program impact")

    @task(2)
    def report_360(self) -> None:
        pk = random.choice(self.mine["reports"])
        self.client.get(f"/assessments/reviews/{pk}/report/", name="page: 360 report")


class Executive(SignedInUser):
    weight = 1
    username = "executive"

    @task
    def dashboards(self) -> None:
        self.client.get("/impact/", name="page: impact dashboard")
        self.client.get("/impact/executives/", name="page: executive dashboard")


class Rater(HttpUser):
    """Someone asked for 360 feedback: opens their link, answers every item, submits."""

    weight = 4
    wait_time = think_time

    @task
    def answer_360(self) -> None:
        if not RATER_TOKENS:
            return  # every link has been used; the rest of the run is the others' load
        token = RATER_TOKENS.pop()
        self.client.get(f"/assessments/rate/{token}/", name="page: rater form")
        low, high = FIXTURE["rater"]["scale"]
        answers: dict[str, Any] = {
            item: random.randint(low, high) for item in FIXTURE["rater"]["items"]
        }
        with self.client.post(
            f"/api/v1/rater/{token}/submit",
            json={"answers": answers, "comments": {}},
            name="api: rater submit",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}: {response.text[:300]}")
