"""The rater page at /assessments/rate/<token>/: no account, a draft that can be saved
and resumed, a submit that needs every item, and links that are refused (404 unknown,
410 used, expired or closed) with nothing written."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.assessments import services
from tandem.assessments.models import RaterInvitation, Response
from tandem.assessments.tests.reviews_setup import opened

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org):
    review, raw = opened(org)
    return review, raw["peers0@example.org"]


def url(token):
    return reverse("assessments:rate", args=[token])


def complete_post(review, action="submit"):
    data = {f"item-{key}": "4" for key in review.instrument.item_keys()}
    data["item-sa-2"] = "n/o"
    data["comment-self-awareness"] = "Asks for feedback in every retro."
    data["action"] = action
    return data


def test_it_shows_the_items_by_competency_without_an_account(setup):
    _review, token = setup
    response = Client().get(url(token))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Feedback for Rita Report" in html
    assert "<legend>Self-awareness</legend>" in html
    assert "Pauses to collect themselves" in html
    assert "Almost always" in html and "Not observed" in html
    assert "anonymous" in html
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_it_never_shows_other_raters(setup, org):
    _review, token = setup
    html = Client().get(url(token)).content.decode()
    for other in ("peers1", "peers2", org.manager.full_name):
        assert other not in html


def test_it_saves_a_draft_and_shows_it_on_return(setup):
    _review, token = setup
    client = Client()
    response = client.post(
        url(token), {"item-sa-1": "2", "comment-inclusion": "Draft note", "action": "draft"}
    )
    assert response.status_code == 302
    draft = Response.objects.get()
    assert draft.submitted_at is None
    assert draft.answers == {"sa-1": 2}
    assert draft.group == "peers"
    assert draft.invitation.nomination.email == "peers0@example.org"
    html = client.get(url(token)).content.decode()
    assert re.search(r'name="item-sa-1" value="2"[^>]*checked', html)
    assert "Draft note" in html


def test_it_submits_once(setup):
    review, token = setup
    client = Client()
    response = client.post(url(token), complete_post(review))
    assert response.status_code == 302
    assert response.url == reverse("assessments:rate-done")
    saved = Response.objects.get()
    invitation = RaterInvitation.objects.get(nomination__email="peers0@example.org")
    assert saved.submitted_at is not None
    assert saved.submitted_at == invitation.submitted_at
    assert saved.answers["sa-2"] == "n/o"
    assert saved.comments == {"self-awareness": "Asks for feedback in every retro."}
    again = client.post(url(token), complete_post(review))
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert client.get(url(token)).status_code == 410
    assert Response.objects.get().answers == saved.answers


def test_it_refuses_an_incomplete_submit_and_writes_nothing(setup):
    review, token = setup
    data = complete_post(review)
    del data["item-dm-3"]
    response = Client().post(url(token), data)
    assert response.status_code == 400
    assert "Answer this" in response.content.decode()
    assert not Response.objects.exists()
    assert not RaterInvitation.objects.filter(submitted_at__isnull=False).exists()


def test_it_refuses_a_value_off_the_scale(setup):
    review, token = setup
    data = complete_post(review)
    data["item-sa-1"] = "9"
    assert Client().post(url(token), data).status_code == 400
    assert not Response.objects.exists()


def test_a_guessed_token_is_not_found_and_writes_nothing(setup):
    review, _token = setup
    guessed = "A" * 43
    assert Client().get(url(guessed)).status_code == 404
    response = Client().post(url(guessed), complete_post(review))
    assert response.status_code == 404
    assert "not valid" in response.content.decode()
    assert Response.objects.count() == 0


def test_an_expired_token_is_gone_and_writes_nothing(setup):
    review, token = setup
    after = timezone.now() + datetime.timedelta(days=16)
    with time_machine.travel(after):
        assert Client().get(url(token)).status_code == 410
        response = Client().post(url(token), complete_post(review))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert Response.objects.count() == 0


def test_a_closed_review_refuses_its_links_and_writes_nothing(setup, org):
    review, token = setup
    services.review_close(review=review, by=org.manager.user)
    response = Client().post(url(token), complete_post(review, action="draft"))
    assert response.status_code == 410
    assert "closed" in response.content.decode()
    assert Response.objects.count() == 0


def test_the_thank_you_page(db):
    response = Client().get(reverse("assessments:rate-done"))
    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
