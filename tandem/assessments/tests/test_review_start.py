"""Starting a 360: the instrument (the newest version of each 360), the subject's
enrollment (its program's anonymity settings are copied into the review), the closing
date, and the link to the subject's most recently closed review. Through the service,
the page and the API; who may start one is access.can_start_review_for."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.api.testing import token_client
from tandem.assessments import services
from tandem.assessments.models import Instrument, InstrumentKind, Review, ReviewStatus
from tandem.assessments.tests.reviews_setup import closes_on, start
from tandem.tests.factories import PersonFactory, UserFactory, enroll, running_program

pytestmark = pytest.mark.django_db

CREATE = reverse("assessments:review-create")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def leadership_360(version=None):
    instruments = Instrument.objects.filter(key="leadership-360").order_by("-version")
    return instruments.get(version=version) if version else instruments.first()


def strict_program():
    return running_program(
        review_min_peers=4,
        review_min_direct_reports=5,
        review_min_others=3,
        review_min_all_others=6,
        review_show_manager=True,
    )


def closed(review, *, days_ago):
    review.status = ReviewStatus.CLOSED
    review.closed_at = timezone.now() - datetime.timedelta(days=days_ago)
    review.save(update_fields=["status", "closed_at"])
    return review


class TestTheService:
    def test_a_review_without_a_program_has_the_default_settings(self, org):
        review = start(org)
        assert review.enrollment is None
        assert (review.min_peers, review.min_direct_reports, review.min_others) == (3, 3, 3)
        assert (review.min_all_others, review.show_manager) == (4, False)

    def test_a_review_for_an_enrollment_copies_the_programs_settings(self, org):
        enrollment = enroll(strict_program(), org.report).enrollment
        review = services.review_start(
            subject=org.report,
            closes_on=closes_on(),
            started_by=org.report.user,
            enrollment=enrollment,
        )
        assert review.enrollment == enrollment
        assert (review.min_peers, review.min_direct_reports, review.min_others) == (4, 5, 3)
        assert (review.min_all_others, review.show_manager) == (6, True)
        # The review keeps the settings it started with.
        enrollment.program.review_min_peers = 9
        enrollment.program.save()
        review.refresh_from_db()
        assert review.min_peers == 4

    def test_it_refuses_someone_elses_enrollment(self, org):
        enrollment = enroll(strict_program(), org.manager).enrollment
        with pytest.raises(ValidationError) as refused:
            services.review_start(
                subject=org.report,
                closes_on=closes_on(),
                started_by=org.manager.user,
                enrollment=enrollment,
            )
        assert "enrollment" in refused.value.message_dict
        assert not Review.objects.exists()

    def test_it_links_the_most_recently_closed_review(self, org):
        older = closed(start(org), days_ago=300)
        newer = closed(start(org), days_ago=30)
        # Created last but closed first: "most recent" is by closing.
        Review.objects.filter(pk=older.pk).update(created_at=timezone.now())
        review = start(org)
        assert review.previous == newer

    def test_the_first_review_has_nothing_to_compare_with(self, org):
        assert start(org).previous is None


class TestTheStartPage:
    def test_it_offers_the_newest_360s_with_the_leadership_360_chosen(self, org):
        newest = leadership_360().new_version()
        form = client_for(org.report.user).get(CREATE).context["form"]
        choices = list(form.fields["instrument"].queryset)
        assert newest in choices
        assert leadership_360(version=1) not in choices
        assert all(i.kind == InstrumentKind.FEEDBACK_360 for i in choices)
        assert form.initial["instrument"] == newest.pk

    def test_it_offers_only_the_subjects_enrollments_and_chooses_the_current_one(self, org):
        mine = enroll(strict_program(), org.report).enrollment
        enroll(strict_program(), org.manager)
        form = client_for(org.report.user).get(CREATE).context["form"]
        assert list(form.fields["enrollment"].queryset) == [mine]
        assert form.initial["enrollment"] == mine.pk

    def test_it_starts_a_review_with_the_choices(self, org):
        enrollment = enroll(strict_program(), org.report).enrollment
        previous = closed(start(org), days_ago=100)
        newest = leadership_360().new_version()
        client = client_for(org.manager.user)
        url = f"{CREATE}?person={org.report.pk}"
        page = client.get(url).content.decode()
        assert 'id="previous-review"' in page and "the change since the 360 closed on" in page
        response = client.post(
            url,
            {
                "instrument": newest.pk,
                "enrollment": enrollment.pk,
                "closes_on": closes_on().isoformat(),
            },
        )
        review = Review.objects.exclude(pk=previous.pk).get()
        assert response.status_code == 302
        assert (review.instrument, review.enrollment, review.previous) == (
            newest,
            enrollment,
            previous,
        )
        assert (review.min_peers, review.show_manager) == (4, True)
        detail = client.get(response.url).content.decode()
        assert enrollment.program.name in detail and "the 360 closed on" in detail

    def test_left_out_the_instrument_is_the_leadership_360(self, org):
        response = client_for(org.report.user).post(CREATE, {"closes_on": closes_on().isoformat()})
        assert response.status_code == 302
        assert Review.objects.get().instrument == leadership_360()

    @pytest.mark.parametrize("field", ["instrument", "enrollment"])
    def test_a_choice_not_offered_is_refused_next_to_its_field(self, org, field):
        other = enroll(strict_program(), org.manager).enrollment
        older = leadership_360()
        older.new_version()
        self_instrument = Instrument.objects.filter(kind=InstrumentKind.SELF).first()
        bad = {
            "instrument": [older.pk, self_instrument.pk, "x"],
            "enrollment": [other.pk, 10**9, "x"],
        }[field]
        client = client_for(org.report.user)
        for value in bad:
            response = client.post(CREATE, {"closes_on": closes_on().isoformat(), field: value})
            assert response.status_code == 400, value
            assert list(response.context["form"].errors) == [field], value
            assert f'id="id_{field}_error"' in response.content.decode()
        assert not Review.objects.exists()

    def test_an_admin_starts_one_for_anyone_by_employee_id(self, org, program_admin):
        client = client_for(program_admin)
        page = client.get(CREATE).content.decode()
        assert 'name="employee"' in page
        response = client.get(CREATE, {"employee": org.outsider.employee_id})
        assert response.status_code == 302
        assert response.url == f"{CREATE}?person={org.outsider.pk}"
        response = client.post(response.url, {"closes_on": closes_on().isoformat()})
        assert response.status_code == 302
        assert Review.objects.get().subject == org.outsider

    def test_an_unknown_employee_id_is_said_next_to_the_field(self, program_admin):
        response = client_for(program_admin).get(CREATE, {"employee": "NOPE-1"})
        assert response.status_code == 400
        assert "No one has the employee id" in response.content.decode()

    def test_only_admins_choose_by_employee_id(self, org):
        # A login without a person record and no admin role: nothing to choose from.
        response = client_for(UserFactory()).get(CREATE, {"employee": org.report.employee_id})
        assert response.status_code == 200
        assert 'name="employee"' not in response.content.decode()
        assert not Review.objects.exists()

    def test_the_outsider_cannot_start_one_for_someone_else(self, org):
        client = client_for(org.outsider.user)
        url = f"{CREATE}?person={org.report.pk}"
        assert client.get(url).status_code == 404
        assert client.post(url, {"closes_on": closes_on().isoformat()}).status_code == 404
        assert not Review.objects.exists()

    def test_a_participant_cannot_start_one_for_their_manager(self, org):
        url = f"{CREATE}?person={org.manager.pk}"
        response = client_for(org.report.user).post(url, {"closes_on": closes_on().isoformat()})
        assert response.status_code in (403, 404)
        assert not Review.objects.exists()


class TestTheApi:
    def test_it_starts_a_review_for_an_enrollment(self, org):
        enrollment = enroll(strict_program(), org.report).enrollment
        previous = closed(start(org), days_ago=10)
        newest = leadership_360().new_version()
        response = token_client(org.manager.user).post(
            "/api/v1/reviews",
            {
                "subject_id": org.report.pk,
                "closes_on": closes_on().isoformat(),
                "instrument_id": newest.pk,
                "enrollment_id": enrollment.pk,
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["instrument_id"] == newest.pk
        assert (body["enrollment_id"], body["previous_id"]) == (enrollment.pk, previous.pk)
        assert (body["min_peers"], body["min_all_others"], body["show_manager"]) == (4, 6, True)

    @pytest.mark.parametrize("field", ["instrument_id", "enrollment_id"])
    def test_a_choice_not_offered_is_a_422_on_its_field(self, org, field):
        other = enroll(strict_program(), org.manager).enrollment
        older = leadership_360()
        older.new_version()
        self_instrument = Instrument.objects.filter(kind=InstrumentKind.SELF).first()
        bad = {
            "instrument_id": [older.pk, self_instrument.pk, 10**9],
            "enrollment_id": [other.pk, 10**9],
        }[field]
        client = token_client(org.report.user)
        for value in bad:
            response = client.post(
                "/api/v1/reviews",
                {"subject_id": org.report.pk, "closes_on": closes_on().isoformat(), field: value},
                content_type="application/json",
            )
            assert response.status_code == 422, (value, response.content)
            assert response.json()["detail"][0]["loc"][-1] == field
        assert not Review.objects.exists()

    def test_the_outsider_gets_404_and_nothing_is_written(self, org):
        enrollment = enroll(strict_program(), org.report).enrollment
        response = token_client(org.outsider.user).post(
            "/api/v1/reviews",
            {
                "subject_id": org.report.pk,
                "closes_on": closes_on().isoformat(),
                "enrollment_id": enrollment.pk,
            },
            content_type="application/json",
        )
        assert response.status_code == 404
        assert not Review.objects.exists()

    def test_an_admin_starts_one_for_anyone(self, org, program_admin):
        someone = PersonFactory(manager=org.outsider)
        response = token_client(program_admin).post(
            "/api/v1/reviews",
            {"subject_id": someone.pk, "closes_on": closes_on().isoformat()},
            content_type="application/json",
        )
        assert response.status_code == 201
        assert response.json()["previous_id"] is None
