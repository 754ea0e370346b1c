"""Guessing is throttled per address (tandem.security.TokenThrottleMiddleware): after
TANDEM_TOKEN_MAX_FAILURES unknown rater links, pulse links, calendar feed URLs or API
tokens from one address within the window, that address gets 429 with Retry-After for
that kind of token — even with a good one — while another address is unaffected.
Logins pause the same way (429 while locked out)."""

import datetime

import pytest
import time_machine
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from tandem.accounts import throttle
from tandem.accounts.models import ApiToken, CalendarFeed, TokenFailure, TokenScope
from tandem.assessments.tests.reviews_setup import opened as opened_review
from tandem.insights import pulses
from tandem.insights.tests.test_pulses_setup import answers, pulse_org
from tandem.insights.tests.test_pulses_setup import opened as opened_pulse
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 3
GUESSER = "203.0.113.7"
NEIGHBOUR = "198.51.100.20"


@pytest.fixture(autouse=True)
def small_limit(settings):
    settings.TANDEM_TOKEN_MAX_FAILURES = LIMIT
    settings.TANDEM_TOKEN_FAILURE_WINDOW_SECONDS = 600


def from_address(ip, **headers):
    return Client(REMOTE_ADDR=ip, headers=headers)


def guess(url_for, client, times=LIMIT):
    for n in range(times):
        assert client.get(url_for(f"wrong-token-{n}")).status_code == 404


@pytest.fixture
def rater_token(org):
    _review, raw = opened_review(org)
    return raw["peers0@example.org"]


@pytest.fixture
def pulse_token(org, program_admin):
    pulse_org(org)
    _pulse, raw = opened_pulse(program_admin)
    return next(iter(raw.values()))


@pytest.fixture
def feed_token(db):
    _feed, raw = CalendarFeed.reset_for(UserFactory())
    return raw


def rater_url(token):
    return reverse("assessments:rate", args=[token])


def pulse_url(token):
    return reverse("insights:pulse-answer", args=[token])


def feed_url(token):
    return reverse("calendar-feed", args=[token])


LINKS = [
    ("rater_token", rater_url, TokenScope.RATER_LINK),
    ("pulse_token", pulse_url, TokenScope.PULSE_LINK),
    ("feed_token", feed_url, TokenScope.CALENDAR_FEED),
]


@pytest.mark.parametrize(("fixture", "url_for", "scope"), LINKS)
def test_it_refuses_even_a_good_link_after_too_many_wrong_ones(request, fixture, url_for, scope):
    good = request.getfixturevalue(fixture)
    guesser = from_address(GUESSER)
    guess(url_for, guesser)

    response = guesser.get(url_for(good))

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    assert TokenFailure.objects.filter(scope=scope, ip=GUESSER).count() == LIMIT


@pytest.mark.parametrize(("fixture", "url_for", "scope"), LINKS)
def test_another_address_still_opens_a_good_link(request, fixture, url_for, scope):
    good = request.getfixturevalue(fixture)
    guess(url_for, from_address(GUESSER))

    assert from_address(NEIGHBOUR).get(url_for(good)).status_code == 200


@pytest.mark.parametrize(("fixture", "url_for", "scope"), LINKS)
def test_it_lets_the_address_try_again_once_the_window_has_passed(request, fixture, url_for, scope):
    good = request.getfixturevalue(fixture)
    guesser = from_address(GUESSER)
    guess(url_for, guesser)
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=601)):
        assert guesser.get(url_for(good)).status_code == 200


def test_fewer_wrong_links_than_the_limit_do_not_block(rater_token):
    guesser = from_address(GUESSER)
    guess(rater_url, guesser, times=LIMIT - 1)
    assert guesser.get(rater_url(rater_token)).status_code == 200


def test_a_used_link_is_not_counted_as_a_guess(pulse_token):
    """A link already used is a 410: a person with an old email, not a guesser."""
    pulses.pulse_answer(raw_token=pulse_token, answers=answers(4, 9))
    client = from_address(GUESSER)
    for _ in range(LIMIT + 1):
        assert client.get(pulse_url(pulse_token)).status_code == 410
    assert not TokenFailure.objects.exists()


def test_each_kind_of_token_is_throttled_on_its_own(rater_token):
    client = from_address(GUESSER)
    guess(feed_url, client)
    assert client.get(rater_url(rater_token)).status_code == 200


class TestApiTokens:
    @pytest.fixture
    def good_token(self):
        _token, raw = ApiToken.issue(user=UserFactory(), name="sync")
        return raw

    def me(self, ip, token):
        return from_address(ip, authorization=f"Bearer {token}").get("/api/v1/me")

    def test_it_refuses_even_a_good_token_after_too_many_wrong_ones(self, good_token):
        for n in range(LIMIT):
            assert self.me(GUESSER, f"tdm_wrong{n}").status_code == 401

        response = self.me(GUESSER, good_token)

        assert response.status_code == 429
        assert response.json() == {
            "detail": "Too many wrong links or tokens from your address. Try again later."
        }
        assert int(response["Retry-After"]) > 0

    def test_another_address_still_gets_in_with_a_good_token(self, good_token):
        for n in range(LIMIT):
            self.me(GUESSER, f"tdm_wrong{n}")
        assert self.me(NEIGHBOUR, good_token).status_code == 200

    def test_a_good_token_and_the_addresss_failures_are_read_in_one_query(
        self, good_token, django_assert_num_queries
    ):
        throttle.api_token_user(good_token, ip=GUESSER)  # marks it used
        with django_assert_num_queries(1):
            assert throttle.api_token_user(good_token, ip=GUESSER) is not None

    def test_session_requests_are_not_throttled_by_token_failures(self, good_token):
        for n in range(LIMIT):
            self.me(GUESSER, f"tdm_wrong{n}")
        client = from_address(GUESSER)
        client.force_login(UserFactory())
        assert client.get("/api/v1/me").status_code == 200


class TestLogin:
    def test_a_locked_out_login_is_a_429_with_retry_after(self, settings):
        UserFactory(username="ada")
        client = from_address(GUESSER)
        for _ in range(settings.TANDEM_LOGIN_MAX_FAILURES):
            client.post(reverse("accounts:login"), {"username": "ada", "password": "wrong"})

        response = client.post(reverse("accounts:login"), {"username": "ada", "password": "x"})

        assert response.status_code == 429
        assert response["Retry-After"] == str(settings.TANDEM_LOGIN_LOCKOUT_SECONDS)
        assert b"Too many failed sign-in attempts" in response.content

    def test_a_wrong_password_alone_is_not_a_429(self):
        UserFactory(username="ada")
        response = from_address(GUESSER).post(
            reverse("accounts:login"), {"username": "ada", "password": "wrong"}
        )
        assert response.status_code == 200


class TestClientAddress:
    def request(self, forwarded=None):
        headers = {"X-Forwarded-For": forwarded} if forwarded is not None else {}
        return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", headers=headers)

    def test_without_proxies_it_is_the_connections_address(self, settings):
        settings.TANDEM_PROXY_COUNT = 0
        assert throttle.client_ip(self.request("203.0.113.7")) == "10.0.0.2"

    def test_behind_one_proxy_it_is_the_address_the_proxy_saw(self, settings):
        settings.TANDEM_PROXY_COUNT = 1
        # The caller wrote "1.2.3.4" themselves; the proxy appended what it saw.
        assert throttle.client_ip(self.request("1.2.3.4, 203.0.113.7")) == "203.0.113.7"

    def test_a_missing_or_forged_header_falls_back_to_the_connection(self, settings):
        settings.TANDEM_PROXY_COUNT = 2
        assert throttle.client_ip(self.request("203.0.113.7")) == "10.0.0.2"
        assert throttle.client_ip(self.request("not-an-ip, 198.51.100.1")) == "10.0.0.2"
        assert throttle.client_ip(self.request()) == "10.0.0.2"

    def test_guessers_behind_the_proxy_are_told_apart(self, settings, rater_token):
        settings.TANDEM_PROXY_COUNT = 1
        guesser = Client(REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": GUESSER})
        guess(rater_url, guesser)
        neighbour = Client(REMOTE_ADDR="10.0.0.2", headers={"X-Forwarded-For": NEIGHBOUR})
        assert guesser.get(rater_url(rater_token)).status_code == 429
        assert neighbour.get(rater_url(rater_token)).status_code == 200
