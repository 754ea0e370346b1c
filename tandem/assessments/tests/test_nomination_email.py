"""One nomination per email address and review, whatever its case: `Ana@X.com` and
`ana@x.com` are one rater. Emails are stored in one case, the database refuses a twin
(a unique constraint on Lower("email")), and the page, the API and the admin say so
next to the field, never with a 500. Runs on SQLite and on PostgreSQL."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import AuditLog
from tandem.api.testing import token_client
from tandem.assessments import services
from tandem.assessments.models import Nomination, ReviewStatus
from tandem.assessments.tests.reviews_setup import start
from tandem.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def nominate(review, by, email, name="Ana Alves"):
    return services.nominate(review=review, group="peers", by=by, name=name, email=email)


def test_it_stores_the_email_in_one_case(org):
    review = start(org)
    assert nominate(review, org.report.user, "  Ana@X.com ").email == "ana@x.com"


@pytest.mark.parametrize("first, second", [("Ana@X.com", "ana@x.com"), ("ana@x.com", "ANA@X.COM")])
def test_a_second_spelling_of_an_address_is_refused(org, first, second):
    review = start(org)
    nominate(review, org.report.user, first)
    with pytest.raises(ValidationError) as refused:
        nominate(review, org.report.user, second, name="Ana again")
    assert list(refused.value.message_dict) == ["email"]
    assert review.nominations.filter(email__iexact="ana@x.com").count() == 1


def test_the_database_refuses_a_twin_in_another_case(org):
    review = start(org)
    nominate(review, org.report.user, "ana@x.com")
    twin = Nomination(review=review, group="others", name="Ana", email="ANA@X.COM")
    with pytest.raises(IntegrityError), transaction.atomic():
        Nomination.objects.bulk_create([twin])  # bypasses save(), which would normalize


def test_the_same_address_on_another_review_is_fine(org):
    first = start(org)
    nominate(first, org.report.user, "ana@x.com")
    second = services.review_start(
        subject=org.manager, closes_on=first.closes_on, started_by=org.ceo.user
    )
    nominate(second, org.manager.user, "Ana@X.com")
    assert Nomination.objects.filter(email="ana@x.com").count() == 2


def test_a_twin_that_slips_past_the_check_is_still_a_field_error(org, monkeypatch):
    """Two requests at once can both pass the check; the constraint then decides, and
    the loser gets the same field error, not a 500."""
    review = start(org)
    nominate(review, org.report.user, "ana@x.com")
    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(ValidationError) as refused:
        nominate(review, org.report.user, "ANA@x.com", name="Ana again")
    monkeypatch.undo()
    assert "already nominated" in refused.value.message_dict["email"][0]
    assert review.nominations.filter(email__iexact="ana@x.com").count() == 1
    # The transaction is still usable after the refused insert.
    assert review.nominations.count() == 2
    assert AuditLog.objects.filter(summary__startswith="Nominated").count() == 1


def test_the_page_says_so_next_to_the_email_field(org):
    review = start(org)
    client = Client()
    client.force_login(org.report.user)
    url = reverse("assessments:review-nominate", args=[review.pk])
    first = client.post(url, {"group": "peers", "name": "Ana", "email": "Ana@X.com"})
    assert first.status_code == 302
    again = client.post(url, {"group": "others", "name": "Ana 2", "email": "ana@x.COM"})
    assert again.status_code == 400
    form = again.context["nomination_form"]
    assert list(form.errors) == ["email"]
    assert "ana@x.com is already nominated." in form.errors["email"][0]
    assert 'id="id_email_error"' in again.content.decode()
    assert review.nominations.filter(email__iexact="ana@x.com").count() == 1


def test_the_api_gives_a_422_on_the_email_field(org):
    review = start(org)
    client = token_client(org.report.user)
    url = f"/api/v1/reviews/{review.pk}/nominations"
    first = client.post(
        url,
        {"group": "peers", "name": "Ana", "email": "Ana@X.com"},
        content_type="application/json",
    )
    assert first.status_code == 201 and first.json()["email"] == "ana@x.com"
    again = client.post(
        url,
        {"group": "others", "name": "Ana 2", "email": "ANA@x.com"},
        content_type="application/json",
    )
    assert again.status_code == 422
    (error,) = again.json()["detail"]
    assert error["loc"][-1] == "email" and "already nominated" in error["msg"]
    assert review.nominations.filter(email__iexact="ana@x.com").count() == 1


class TestTheAdmin:
    @pytest.fixture
    def root(self, db):
        return UserFactory(username="root", is_staff=True, is_superuser=True)

    def change(self, client, review, rows):
        """Post the review's admin change form with its nominations and `rows` added."""
        existing = list(review.nominations.order_by("pk"))
        data = {
            "subject": review.subject_id,
            "instrument": review.instrument_id,
            "enrollment": "",
            "previous": "",
            "status": ReviewStatus.NOMINATING,
            "closes_on": review.closes_on.isoformat(),
            "min_peers": "3",
            "min_direct_reports": "3",
            "min_others": "3",
            "min_all_others": "4",
            "created_by": review.created_by_id,
            "approved_by": "",
            "approved_at_0": "",
            "approved_at_1": "",
            "closed_at_0": "",
            "closed_at_1": "",
            "nominations-TOTAL_FORMS": str(len(existing) + len(rows)),
            "nominations-INITIAL_FORMS": str(len(existing)),
            "nominations-MIN_NUM_FORMS": "0",
            "nominations-MAX_NUM_FORMS": "1000",
        }
        for n, row in enumerate(
            [
                {"id": x.pk, "group": x.group, "name": x.name, "email": x.email, "status": x.status}
                for x in existing
            ]
            + rows
        ):
            for key, value in {"person": "", "review": review.pk, **row}.items():
                data[f"nominations-{n}-{key}"] = value
        return client.post(reverse("admin:assessments_review_change", args=[review.pk]), data)

    def test_two_new_rows_in_two_cases_are_refused(self, client, org, root):
        review = start(org)
        client.force_login(root)
        rows = [
            {"group": "peers", "name": "Ana", "email": "Ana@X.com", "status": "proposed"},
            {"group": "others", "name": "Ana 2", "email": "ana@x.com", "status": "proposed"},
        ]
        response = self.change(client, review, rows)
        assert response.status_code == 200
        assert "already nominated" in response.content.decode()
        assert not review.nominations.filter(email__iexact="ana@x.com").exists()

    def test_a_new_row_twinning_a_saved_one_is_refused(self, client, org, root):
        review = start(org)
        nominate(review, org.report.user, "ana@x.com")
        client.force_login(root)
        rows = [{"group": "others", "name": "Ana 2", "email": "ANA@X.com", "status": "proposed"}]
        response = self.change(client, review, rows)
        assert response.status_code == 200
        assert "already nominated" in response.content.decode()
        assert review.nominations.filter(email__iexact="ana@x.com").count() == 1

    def test_a_new_address_is_saved_in_one_case(self, client, org, root):
        review = start(org)
        client.force_login(root)
        rows = [{"group": "peers", "name": "Bo", "email": "Bo@X.com", "status": "proposed"}]
        response = self.change(client, review, rows)
        assert response.status_code == 302, response.context and response.context.get("errors")
        assert review.nominations.filter(email="bo@x.com").exists()
