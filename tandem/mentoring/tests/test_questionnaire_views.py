"""Answering the questionnaire and stating the intent: one's own only."""

from django.urls import reverse

from tandem.mentoring import matching
from tandem.mentoring.tests.factories import make_mentor, person
from tandem.tests.factories import enroll


def test_a_mentee_answers_then_states_their_intent(client, org, program):
    enroll(program, org.report)
    client.force_login(org.report.user)
    url = reverse("mentoring:mentee-answers", args=[program.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "develop": ["Coaching others", "Decision-making"],
            "seniority": "2",
            "languages": ["en"],
            "time_zone": "Europe/Lisbon",
            "availability": ["Lunchtime"],
            "meeting_mode": ["Phone"],
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("mentoring:intent", args=[program.pk])
    mentee = matching.mentee_of(program, org.report)
    assert mentee.answers["seniority"] == 2 and not mentee.intent_stated
    response = client.post(
        response.url,
        {
            "goals": "Prepare for a management role\n\nLearn the budget",
            "help_wanted": ["career", "organization"],
        },
    )
    assert response.status_code == 302
    mentee.refresh_from_db()
    assert mentee.goals == ["Prepare for a management role", "Learn the budget"]
    assert mentee.intent_stated


def test_missing_and_unknown_answers_are_field_errors(client, org, program):
    enroll(program, org.report)
    client.force_login(org.report.user)
    url = reverse("mentoring:mentee-answers", args=[program.pk])
    response = client.post(url, {"develop": ["Juggling"], "time_zone": "Mars/Olympus"})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"develop", "time_zone", "seniority", "languages"} <= set(errors)
    assert matching.mentee_of(program, org.report).answered_at is None


def test_the_intent_needs_a_goal(client, org, program):
    enroll(program, org.report)
    client.force_login(org.report.user)
    response = client.post(
        reverse("mentoring:intent", args=[program.pk]), {"goals": "  \n", "help_wanted": []}
    )
    assert response.status_code == 400
    assert {"goals", "help_wanted"} <= set(response.context["form"].errors)


def test_a_mentor_answers_with_their_own_function(client, org, program):
    mentor = make_mentor(program, person("senior"))
    client.force_login(mentor.person.user)
    url = reverse("mentoring:mentor-answers", args=[program.pk])
    page = client.get(url)
    assert "How senior should your mentor be?" not in page.content.decode()
    data = {
        "develop": ["Decision-making"],
        "function": "Finance",
        "languages": ["en", "fr"],
        "time_zone": "Europe/Paris",
        "availability": ["Afternoon"],
        "meeting_mode": ["Video call"],
    }
    assert client.post(url, data).status_code == 302
    mentor.refresh_from_db()
    assert mentor.answers["function"] == "Finance"


def test_someone_not_in_the_program_cannot_answer(client, org, program, mentor):
    client.force_login(org.outsider.user)
    assert client.get(reverse("mentoring:mentee-answers", args=[program.pk])).status_code == 404
    assert client.get(reverse("mentoring:mentor-answers", args=[program.pk])).status_code == 404
    assert client.post(reverse("mentoring:intent", args=[program.pk]), {}).status_code == 404


def test_the_home_page_routes_each_user(client, org, program, mentee, mentor, program_admin):
    client.force_login(org.report.user)
    page = client.get(reverse("mentoring:home")).content.decode()
    assert "Change your goals" in page and "Mentoring programs" not in page
    client.force_login(mentor.person.user)
    assert "As a mentor" in client.get(reverse("mentoring:home")).content.decode()
    client.force_login(program_admin)
    page = client.get(reverse("mentoring:home")).content.decode()
    assert reverse("mentoring:program-detail", args=[program.pk]) in page
