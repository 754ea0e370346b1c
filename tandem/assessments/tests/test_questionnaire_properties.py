"""Property tests on the questionnaires people fill in: the 360 rater page (no account,
a single-use link) and the self-assessment. Whatever is posted, the page answers (a 4xx
with the form, never a 500); a refused post writes nothing in any table; a complete,
valid post is accepted.

Each example runs in a savepoint that is rolled back, so one example's accepted answer
(which uses up a rater link) does not change what the next one meets."""

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tandem.assessments import self_service
from tandem.assessments.models import Instrument, RaterInvitation, Response, SelfAssessment
from tandem.assessments.tests.reviews_setup import opened

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Answers that are right, nearly right, or hostile for a scale of 1 to 5.
ODD_VALUES = st.sampled_from(
    [
        "1",
        "3",
        "5",
        "n/o",
        "0",
        "6",
        "-1",
        "3.5",
        " 4",
        "4 ",
        "٣",
        "",
        "x",
        "None",
        "\x00",
        "9" * 40,
    ]
)
VALUE = st.one_of(ODD_VALUES, st.text(max_size=12))
COMMENT = st.one_of(
    st.sampled_from(["", "Listens well.", "nul\x00byte", "=HYPERLINK(1)", "x" * 4001]),
    st.text(max_size=60),
)
ACTION = st.one_of(st.sampled_from(["draft", "submit", "save", ""]), st.text(max_size=8))


def row_counts() -> dict[str, int]:
    """The number of rows in every table Tandem's models (and its libraries') keep."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def posted(draw, field_names: list[str]) -> dict[str, str]:
    """A post that answers some of `field_names` with odd values and adds a few
    fields the form does not know."""
    data = {
        name: draw(COMMENT if name.startswith("comment-") else VALUE)
        for name in draw(st.lists(st.sampled_from(field_names), unique=True))
    }
    data.update(draw(st.dictionaries(st.text(min_size=1, max_size=10), VALUE, max_size=2)))
    return data


@pytest.fixture
def rater_link(org):
    review, raw = opened(org)
    return review, reverse("assessments:rate", args=[raw["peers0@example.org"]])


def rater_fields(review) -> list[str]:
    items = [f"item-{key}" for key in review.instrument.item_keys()]
    comments = [f"comment-{c['key']}" for c in review.instrument.document["competencies"]]
    return items + comments


class TestTheRaterPage:
    @SETTINGS
    @given(data=st.data())
    def test_it_never_crashes_and_a_refused_post_writes_nothing(self, rater_link, data):
        review, link = rater_link
        post = posted(data.draw, rater_fields(review))
        post["action"] = data.draw(ACTION)
        with transaction.atomic():
            before = row_counts()
            response = Client().post(link, post)
            assert response.status_code in (302, 400)
            event(f"answered {response.status_code}")
            if response.status_code == 400:
                assert response.context["form"].errors
                assert row_counts() == before
            transaction.set_rollback(True)

    @SETTINGS
    @given(data=st.data())
    def test_it_accepts_every_complete_valid_answer(self, rater_link, data):
        review, link = rater_link
        post = {
            f"item-{key}": data.draw(st.sampled_from(["1", "2", "3", "4", "5", "n/o"]))
            for key in review.instrument.item_keys()
        }
        for competency in review.instrument.document["competencies"]:
            post[f"comment-{competency['key']}"] = data.draw(
                st.text(st.characters(blacklist_characters="\x00"), max_size=200)
            )
        post["action"] = "submit"
        with transaction.atomic():
            submitted_before = Response.objects.filter(submitted_at__isnull=False).count()
            response = Client().post(link, post)
            assert response.status_code == 302, response.context and response.context["form"].errors
            assert Response.objects.filter(submitted_at__isnull=False).count() == (
                submitted_before + 1
            )
            assert RaterInvitation.objects.filter(submitted_at__isnull=False).exists()
            transaction.set_rollback(True)


@pytest.fixture
def self_assessment(org):
    Instrument.load_built_in()  # a transactional test elsewhere may have flushed them
    assessment = self_service.self_assessment_start(person=org.report, enrollment=None)
    client = Client()
    client.force_login(org.report.user)
    return assessment, client, reverse("assessments:self-detail", args=[assessment.pk])


class TestTheSelfAssessment:
    @SETTINGS
    @given(data=st.data())
    def test_it_never_crashes_and_a_refused_post_writes_nothing(self, self_assessment, data):
        assessment, client, link = self_assessment
        post = posted(data.draw, assessment.instrument.item_keys())
        post["action"] = data.draw(ACTION)
        with transaction.atomic():
            before = row_counts()
            response = client.post(link, post)
            assert response.status_code in (302, 400)
            event(f"answered {response.status_code}")
            if response.status_code == 400:
                assert row_counts() == before
                stored = SelfAssessment.objects.get(pk=assessment.pk)
                assert (stored.answers, stored.submitted_at) == ({}, None)
            transaction.set_rollback(True)

    @SETTINGS
    @given(data=st.data())
    def test_it_accepts_every_complete_valid_answer(self, self_assessment, data):
        assessment, client, link = self_assessment
        answers = {key: data.draw(st.integers(1, 5)) for key in assessment.instrument.item_keys()}
        post = {key: str(value) for key, value in answers.items()} | {"action": "submit"}
        with transaction.atomic():
            response = client.post(link, post)
            assert response.status_code == 302
            stored = SelfAssessment.objects.get(pk=assessment.pk)
            assert stored.answers == answers and stored.submitted_at is not None
            transaction.set_rollback(True)
