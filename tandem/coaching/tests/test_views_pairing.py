"""Finding a coach and pairing on the pages: three suggestions ranked by fit with their
reasons, choosing or asking for a chemistry call, and an admin pairing anyone."""

import pytest
from django.urls import reverse

from tandem.coaching.models import ChemistryCall, Engagement, PairedVia
from tandem.coaching.tests.factories import CoachFactory, paired
from tandem.programs.models import Competency
from tandem.tests.factories import PersonFactory, make_user_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(db):
    """Four coaches: the best fit speaks the language, works with emerging leaders and
    on a goal's competency; one is full, one paused."""
    coaching = Competency.objects.get(name="Coaching others")
    best = CoachFactory(user__last_name="Best", levels=["emerging"], specialties=[coaching])
    middle = CoachFactory(user__last_name="Middle", levels=["senior"])
    far = CoachFactory(user__last_name="Far", languages=["ja"], time_zone="Asia/Tokyo")
    full = CoachFactory(user__last_name="Full", capacity=1)
    someone = PersonFactory()
    make_user_for(someone)
    paired(full, someone)
    CoachFactory(user__last_name="Paused", status="paused")
    return best, middle, far, full


def test_a_participant_sees_three_coaches_ranked_with_their_reasons(
    client, org, coaching_plan, roster
):
    best, middle, far, _full = roster
    client.force_login(org.report.user)
    response = client.get(reverse("coaching:find-a-coach"))
    assert response.status_code == 200
    shown = [s.coach for s in response.context["suggestions"]]
    assert shown == [best, middle, far]
    reasons = response.context["suggestions"][0].reasons
    assert "Coaches at the Emerging leader level" in reasons
    assert any(r.startswith("Coaches in English") for r in reasons)
    assert "Does not coach in English" in response.context["suggestions"][2].reasons


def test_someone_outside_a_coaching_program_cannot_choose_a_coach(client, org, roster):
    client.force_login(org.outsider.user)
    assert client.get(reverse("coaching:find-a-coach")).status_code == 403
    best = roster[0]
    response = client.post(reverse("coaching:choose-coach", args=[best.pk]))
    assert response.status_code == 403
    assert not Engagement.objects.filter(coachee=org.outsider).exists()


def test_the_participant_chooses_a_coach(client, org, coaching_plan, roster):
    best = roster[0]
    client.force_login(org.report.user)
    response = client.post(reverse("coaching:choose-coach", args=[best.pk]))
    engagement = Engagement.objects.get(coachee=org.report)
    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:engagement-detail", args=[engagement.pk])
    assert engagement.coach == best and engagement.paired_via == PairedVia.CHOICE


def test_choosing_a_full_coach_is_refused_and_writes_nothing(client, org, coaching_plan, roster):
    full = roster[3]
    client.force_login(org.report.user)
    response = client.post(reverse("coaching:choose-coach", args=[full.pk]), follow=True)
    assert "no free place" in response.content.decode()
    assert not Engagement.objects.filter(coachee=org.report).exists()


def test_the_participant_asks_for_a_chemistry_call(client, org, coaching_plan, roster):
    best = roster[0]
    client.force_login(org.report.user)
    client.post(reverse("coaching:chemistry-call", args=[best.pk]))
    assert ChemistryCall.objects.get().coach == best
    client.force_login(best.user)
    page = client.get(reverse("coaching:home")).content.decode()
    assert org.report.full_name in page and "Chemistry calls requested" in page


def test_an_admin_sees_suggestions_for_anyone_and_pairs(client, program_admin, org, roster):
    best = roster[0]
    client.force_login(program_admin)
    response = client.get(reverse("coaching:find-a-coach"), {"coachee": org.outsider.employee_id})
    assert response.status_code == 200 and len(response.context["suggestions"]) == 3
    response = client.post(
        reverse("coaching:pair"),
        {
            "coachee": org.outsider.employee_id,
            "coach": best.pk,
            "sponsor": "",
            "planned_sessions": "6",
            "session_minutes": "45",
            "starts_on": "2026-03-02",
            "ends_on": "2026-09-01",
        },
    )
    engagement = Engagement.objects.get(coachee=org.outsider)
    assert response.status_code == 302
    assert engagement.sponsor == org.ceo  # the outsider's manager
    assert (engagement.planned_sessions, engagement.session_minutes) == (6, 45)


def test_the_pair_form_names_each_bad_field(client, program_admin, roster):
    client.force_login(program_admin)
    response = client.post(
        reverse("coaching:pair"),
        {
            "coachee": "NOBODY",
            "coach": roster[3].pk,  # full: not offered
            "planned_sessions": "0",
            "session_minutes": "60",
            "starts_on": "2026-03-02",
            "ends_on": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) >= {
        "coachee",
        "coach",
        "planned_sessions",
        "ends_on",
    }
    assert Engagement.objects.count() == 1  # the full coach's own


def test_only_admins_pair(client, org):
    client.force_login(org.manager.user)
    assert client.get(reverse("coaching:pair")).status_code == 403
