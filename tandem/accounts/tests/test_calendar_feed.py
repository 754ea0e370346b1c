"""The per-user calendar feed: the secret URL (page, API, admin), the public .ics it
serves, and the registry of event sources that higher apps fill."""

from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.middleware.csrf import get_token
from django.test import Client
from django.utils import timezone

from tandem.accounts import calendar
from tandem.accounts.models import CalendarFeed
from tandem.api.testing import token_client
from tandem.lib.ical import Attendee, CalendarEvent, parse_calendar
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/accounts/calendar/"
REVOKE = "/accounts/calendar/revoke/"
API = "/api/v1/me/calendar-feed"
PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)


def path_of(url):
    return url.removeprefix("http://127.0.0.1:8000")


def coaching_session(user, *, day=26, **changes):
    """What a coaching source would return: the feed must strip the details."""
    start = datetime(2026, 3, day, 9, 0, tzinfo=PARIS)
    values = {
        "uid": f"coaching-session-{user.pk}-{day}@tandem",
        "start": start,
        "end": start + timedelta(hours=1),
        "time_zone": "Europe/Paris",
        "summary": "Coaching session with Cora Coach",
        "description": "GROW notes: wants to stop rescuing the team",
        "location": "Room 4",
        "url": "https://tandem.example.com/coaching/sessions/1/",
        "organizer": Attendee("Cora Coach", "cora@example.com"),
        "attendees": (Attendee("Rita Report", "rita@example.com"),),
    }
    return CalendarEvent(**(values | changes))


@pytest.fixture
def sources():
    """An empty registry for the test; the test appends its sources."""
    registered = []
    with mock.patch.object(calendar, "_SOURCES", registered):
        yield registered


@pytest.fixture
def user():
    return UserFactory(first_name="Rita", last_name="Report")


class TestFeedUrl:
    def test_it_stores_only_a_hash_of_the_token(self, user):
        feed, raw = CalendarFeed.reset_for(user)
        assert raw.startswith("tcal_") and len(raw) > 40
        assert raw not in (feed.key_hash, feed.key_prefix)
        assert CalendarFeed.objects.for_token(raw) == feed

    def test_resetting_replaces_the_old_token(self, user):
        _feed, old = CalendarFeed.reset_for(user)
        _feed, new = CalendarFeed.reset_for(user)
        assert CalendarFeed.objects.for_token(old) is None
        assert CalendarFeed.objects.for_token(new).user == user
        assert CalendarFeed.objects.filter(user=user).count() == 1

    def test_it_opens_nothing_for_an_inactive_user(self, user):
        _feed, raw = CalendarFeed.reset_for(user)
        user.is_active = False
        user.save()
        assert CalendarFeed.objects.for_token(raw) is None


class TestFeed:
    @pytest.fixture(autouse=True)
    def frozen(self):
        with time_machine.travel(NOW, tick=False):
            yield

    def test_it_serves_the_users_events_without_login(self, client, user, sources):
        sources.append(lambda who: [coaching_session(who)] if who == user else [])
        _feed, raw = CalendarFeed.reset_for(user)
        response = client.get(path_of(calendar.feed_url(raw)))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        assert "no-cache" in response["Cache-Control"]
        parsed = parse_calendar(response.content)
        assert parsed.method == ""
        assert parsed.timezones == ["Europe/Paris"]
        (event,) = parsed.events
        assert event.summary == "Coaching session with Cora Coach"
        assert (event.tzid, event.start.hour) == ("Europe/Paris", 9)
        assert event.start.astimezone(UTC) == datetime(2026, 3, 26, 8, 0, tzinfo=UTC)
        assert event.location == "Room 4"

    def test_it_never_shows_descriptions_or_attendees(self, client, user, sources):
        sources.append(lambda who: [coaching_session(who)])
        _feed, raw = CalendarFeed.reset_for(user)
        body = client.get(path_of(calendar.feed_url(raw))).content
        assert b"GROW" not in body and b"rescuing" not in body
        assert b"ATTENDEE" not in body and b"ORGANIZER" not in body
        assert b"DESCRIPTION" not in body

    def test_it_merges_every_source_in_start_order(self, client, user, sources):
        sources.append(lambda who: [coaching_session(who, day=28)])
        sources.append(
            lambda who: [coaching_session(who, day=27, uid="training-1@t", summary="Training")]
        )
        _feed, raw = CalendarFeed.reset_for(user)
        events = parse_calendar(client.get(path_of(calendar.feed_url(raw))).content).events
        assert [e.start.day for e in events] == [27, 28]
        assert events[0].summary == "Training"

    def test_it_leaves_out_events_long_past(self, client, user, sources):
        old = datetime(2025, 6, 1, 9, 0, tzinfo=PARIS)
        sources.append(
            lambda who: [
                coaching_session(who),
                coaching_session(who, uid="old@t", start=old, end=old + timedelta(hours=1)),
            ]
        )
        _feed, raw = CalendarFeed.reset_for(user)
        events = parse_calendar(client.get(path_of(calendar.feed_url(raw))).content).events
        assert [e.uid for e in events] == [coaching_session(user).uid]

    def test_it_is_an_empty_calendar_without_events(self, client, user, sources):
        _feed, raw = CalendarFeed.reset_for(user)
        response = client.get(path_of(calendar.feed_url(raw)))
        assert response.status_code == 200
        assert parse_calendar(response.content).events == []

    def test_it_remembers_when_a_calendar_app_last_read_it(self, client, user, sources):
        feed, raw = CalendarFeed.reset_for(user)
        client.get(path_of(calendar.feed_url(raw)))
        feed.refresh_from_db()
        assert feed.last_used_at == NOW

    def test_it_reads_the_feed_in_three_queries(
        self, client, user, sources, django_assert_num_queries
    ):
        _feed, raw = CalendarFeed.reset_for(user)
        # The address's guesses (tandem.security); the feed and its user; "last used".
        with django_assert_num_queries(3):
            client.get(path_of(calendar.feed_url(raw)))
        with django_assert_num_queries(2):  # read within the hour: no write
            client.get(path_of(calendar.feed_url(raw)))

    @pytest.mark.parametrize(
        "token", ["MQ", "tcal_", "tcal_" + "x" * 43, "x" * 200, "tcal_%00", "tcal_' OR 1=1"]
    )
    def test_a_wrong_token_is_not_found(self, client, user, sources, token):
        CalendarFeed.reset_for(user)
        assert client.get(f"/calendar/{token}.ics").status_code == 404

    def test_a_reset_or_revoked_url_is_not_found(self, client, user, sources):
        _feed, first = CalendarFeed.reset_for(user)
        _feed, second = CalendarFeed.reset_for(user)
        assert client.get(path_of(calendar.feed_url(first))).status_code == 404
        assert client.get(path_of(calendar.feed_url(second))).status_code == 200
        CalendarFeed.objects.filter(user=user).delete()
        assert client.get(path_of(calendar.feed_url(second))).status_code == 404

    def test_an_inactive_users_feed_is_not_found(self, client, user, sources):
        _feed, raw = CalendarFeed.reset_for(user)
        user.is_active = False
        user.save()
        assert client.get(path_of(calendar.feed_url(raw))).status_code == 404

    def test_it_only_answers_reads(self, client, user, sources):
        _feed, raw = CalendarFeed.reset_for(user)
        assert client.post(path_of(calendar.feed_url(raw))).status_code == 405


class TestRegistry:
    def test_registering_twice_adds_a_source_once(self, sources):
        def source(user):
            return []

        calendar.register_event_source(source)
        calendar.register_event_source(source)
        assert sources == [source]

    def test_uids_stay_the_same_for_a_record(self, settings):
        settings.TANDEM_BASE_URL = "https://tandem.example.com/"
        assert calendar.event_uid("coaching-session", 7) == (
            "coaching-session-7@tandem.example.com"
        )


class TestPage:
    def test_it_redirects_anonymous_visitors_to_login(self, client, user):
        CalendarFeed.reset_for(user)
        for response in (client.get(PAGE), client.post(PAGE), client.post(REVOKE)):
            assert response.status_code == 302
            assert response["Location"].startswith("/accounts/login/")
        assert CalendarFeed.objects.count() == 1

    def test_it_says_what_to_do_without_a_feed(self, client, user):
        client.force_login(user)
        response = client.get(PAGE)
        assert response.status_code == 200
        assert b"No calendar feed yet" in response.content

    def test_it_makes_the_url_and_shows_it_once(self, client, user, sources):
        client.force_login(user)
        response = client.post(PAGE)
        assert response.status_code == 200
        url = response.context["new_url"]
        assert url.startswith("http://127.0.0.1:8000/calendar/tcal_") and url.endswith(".ics")
        assert url.encode() in response.content
        assert "no-store" in response["Cache-Control"]
        assert Client().get(path_of(url)).status_code == 200
        again = client.get(PAGE)
        assert url.encode() not in again.content
        assert b"Make a new URL" in again.content

    def test_making_a_new_url_stops_the_old_one(self, client, user, sources):
        client.force_login(user)
        first = client.post(PAGE).context["new_url"]
        second = client.post(PAGE).context["new_url"]
        assert first != second
        assert Client().get(path_of(first)).status_code == 404
        assert Client().get(path_of(second)).status_code == 200

    def test_it_switches_the_feed_off(self, client, user, sources):
        client.force_login(user)
        url = client.post(PAGE).context["new_url"]
        response = client.post(REVOKE, follow=True)
        assert b"switched off" in response.content
        assert not CalendarFeed.objects.filter(user=user).exists()
        assert Client().get(path_of(url)).status_code == 404

    def test_it_touches_only_the_users_own_feed(self, client, user, sources):
        outsider = UserFactory()
        _feed, theirs = CalendarFeed.reset_for(user)
        client.force_login(outsider)
        client.post(REVOKE)
        client.post(PAGE)
        assert Client().get(path_of(calendar.feed_url(theirs))).status_code == 200
        assert CalendarFeed.objects.count() == 2

    def test_the_account_menu_links_to_it(self, client, user):
        client.force_login(user)
        assert PAGE.encode() in client.get("/accounts/tokens/").content


class TestApi:
    def test_it_makes_reads_and_revokes_the_url(self, user, sources):
        api = token_client(user)
        assert api.get(API).json() == {
            "active": False,
            "created_at": None,
            "last_used_at": None,
            "url": None,
        }
        made = api.post(API)
        assert made.status_code == 201
        url = made.json()["url"]
        assert Client().get(path_of(url)).status_code == 200
        shown = api.get(API).json()
        assert shown["active"] is True and shown["url"] is None
        assert shown["created_at"] is not None
        assert api.delete(API).status_code == 204
        assert Client().get(path_of(url)).status_code == 404
        assert api.get(API).json()["active"] is False

    def test_a_reset_replaces_the_url(self, user, sources):
        api = token_client(user)
        first, second = api.post(API).json()["url"], api.post(API).json()["url"]
        assert Client().get(path_of(first)).status_code == 404
        assert Client().get(path_of(second)).status_code == 200

    def test_it_refuses_anonymous_callers(self, client):
        for method in ("get", "post", "delete"):
            assert getattr(client, method)(API).status_code == 401
        assert not CalendarFeed.objects.exists()

    def test_a_session_reset_needs_the_csrf_token(self, user):
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(user)
        assert browser.post(API).status_code == 403
        assert not CalendarFeed.objects.exists()
        page = browser.get(PAGE)
        token = get_token(page.wsgi_request)
        assert browser.post(API, headers={"x-csrftoken": token}).status_code == 201


class TestAdmin:
    def test_it_shows_metadata_only_and_cannot_edit(self, client, user):
        _feed, raw = CalendarFeed.reset_for(user)
        client.force_login(UserFactory(is_staff=True, is_superuser=True))
        feed = CalendarFeed.objects.get()
        listing = client.get("/admin/accounts/calendarfeed/")
        detail = client.get(f"/admin/accounts/calendarfeed/{feed.pk}/change/")
        for response in (listing, detail):
            assert response.status_code == 200
            assert raw.encode() not in response.content
            assert feed.key_hash.encode() not in response.content
        assert feed.key_prefix.encode() in listing.content
        assert b'name="_save"' not in detail.content
        assert client.get("/admin/accounts/calendarfeed/add/").status_code == 403


def test_it_keeps_times_stored_in_utc(user, sources):
    stored = datetime(2026, 7, 6, 7, 0, tzinfo=UTC)  # as the database returns it
    sources.append(
        lambda who: [
            coaching_session(who, start=stored, end=stored + timedelta(minutes=90)),
        ]
    )
    with time_machine.travel(NOW, tick=False):
        (event,) = calendar.events_for(user)
    assert event.start == stored
    assert timezone.localtime(event.start, PARIS).hour == 9
