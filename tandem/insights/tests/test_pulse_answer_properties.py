"""Property tests on the pulse answer page (/impact/pulses/answer/<token>/, no account):
whatever is posted, the page answers 400 with the form or accepts it, never a 500; a
refused post writes nothing in any table (the link stays unused); every complete, valid
answer is accepted.

Each example runs in a savepoint that is rolled back, so an accepted answer (which
uses up the link) does not change what the next example meets."""

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tandem.insights import pulse_items
from tandem.insights.models import PulseInvitation, PulseResponse
from tandem.insights.tests.test_pulses_setup import opened, pulse_org

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALUE = st.one_of(
    st.sampled_from(["0", "1", "3", "5", "6", "10", "11", "-1", "4.0", " 4", "", "\x00", "٣"]),
    st.text(max_size=10),
)


def row_counts() -> dict[str, int]:
    """The number of rows in every table Tandem's models (and its libraries') keep."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def field_names() -> list[str]:
    return [item.key for item in pulse_items.asked_items()] + [pulse_items.ENPS_KEY]


@pytest.fixture
def link(org, program_admin):
    people = pulse_org(org)
    _pulse, raw = opened(program_admin)
    return reverse("insights:pulse-answer", args=[raw[people.org.report.email]])


@SETTINGS
@given(data=st.data())
def test_it_never_crashes_and_a_refused_answer_writes_nothing(link, data):
    post = {
        name: data.draw(VALUE)
        for name in data.draw(st.lists(st.sampled_from(field_names()), unique=True))
    }
    post.update(data.draw(st.dictionaries(st.text(min_size=1, max_size=8), VALUE, max_size=2)))
    with transaction.atomic():
        before = row_counts()
        response = Client().post(link, post)
        event(f"answered {response.status_code}")
        assert response.status_code in (302, 400)
        if response.status_code == 400:
            if post:  # an empty post is test_an_empty_post_says_what_is_missing
                assert response.context["form"].errors
            assert row_counts() == before
            assert not PulseInvitation.objects.filter(used=True).exists()
        transaction.set_rollback(True)


@SETTINGS
@given(data=st.data())
def test_it_accepts_every_complete_valid_answer(link, data):
    low, high = pulse_items.ENPS_SCALE
    answers = {item.key: data.draw(st.integers(1, 5)) for item in pulse_items.asked_items()}
    answers[pulse_items.ENPS_KEY] = data.draw(st.integers(low, high))
    with transaction.atomic():
        response = Client().post(link, {key: str(value) for key, value in answers.items()})
        assert response.status_code == 302
        assert PulseResponse.objects.get().enps == answers[pulse_items.ENPS_KEY]
        transaction.set_rollback(True)


def test_an_empty_post_says_what_is_missing(link):
    response = Client().post(link, {})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() == set(field_names())
