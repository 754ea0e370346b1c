"""The program's setup pages: settings, questionnaire builder, mentor pool."""

import pytest
from django.urls import reverse

from tandem.mentoring.models import Mentor, MentoringSettings, Question


@pytest.fixture
def admin_client(client, program_admin):
    client.force_login(program_admin)
    return client


def test_a_new_mentoring_program_starts_with_the_built_in_questionnaire(program):
    keys = list(Question.objects.filter(program=program).values_list("key", flat=True))
    assert keys[:3] == ["develop", "seniority", "function"]
    assert MentoringSettings.objects.get(program=program).min_level_gap == 1


def test_it_saves_the_settings(admin_client, program):
    url = reverse("mentoring:program-settings", args=[program.pk])
    data = {
        "format": "group",
        "matching_mode": "mentee_choice",
        "objective": "most_matched",
        "suggestions_count": 4,
        "min_score": 40,
        "default_capacity": 5,
        "never_in_reporting_chain": "on",
        "min_level_gap": "",
        "unit_preference": "different",
        "unit_weight": 6,
        "request_expiry_days": 10,
        "inactivity_weeks": 8,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302
    saved = MentoringSettings.objects.get(program=program)
    assert (saved.format, saved.min_level_gap, saved.no_repeat_pairing) == ("group", None, False)


def test_bad_settings_are_refused_field_by_field(admin_client, program):
    Question.objects.filter(program=program, kind="languages").delete()
    url = reverse("mentoring:program-settings", args=[program.pk])
    response = admin_client.post(
        url,
        {
            "format": "one_to_one",
            "matching_mode": "admin_review",
            "objective": "optimal",
            "suggestions_count": 3,
            "min_score": 101,
            "default_capacity": 0,
            "unit_preference": "none",
            "unit_weight": 3,
            "request_expiry_days": 7,
            "inactivity_weeks": 6,
            "must_share_language": "on",
        },
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"min_score", "default_capacity", "must_share_language"}
    assert MentoringSettings.objects.get(program=program).default_capacity == 2


def test_it_adds_edits_moves_and_removes_questions(admin_client, program):
    response = admin_client.post(
        reverse("mentoring:question-create", args=[program.pk]),
        {
            "kind": "single_choice",
            "key": "pace",
            "text": "What pace suits you?",
            "audience": "both",
            "options": "Weekly\nMonthly",
            "weight": 3,
            "required": "on",
        },
    )
    assert response.status_code == 302
    pace = Question.objects.get(program=program, key="pace")
    assert pace.options == ["Weekly", "Monthly"]
    admin_client.post(reverse("mentoring:question-move", args=[pace.pk]), {"direction": "up"})
    keys = list(Question.objects.filter(program=program).values_list("key", flat=True))
    assert keys.index("pace") == len(keys) - 2
    admin_client.post(reverse("mentoring:question-delete", args=[pace.pk]))
    assert not Question.objects.filter(key="pace").exists()


def test_a_choice_question_needs_options(admin_client, program):
    response = admin_client.post(
        reverse("mentoring:question-create", args=[program.pk]),
        {
            "kind": "single_choice",
            "key": "pace",
            "text": "Pace?",
            "audience": "both",
            "options": "Only one",
            "weight": 3,
        },
    )
    assert response.status_code == 400
    assert "options" in response.context["form"].errors
    assert not Question.objects.filter(key="pace").exists()


def test_it_adds_a_mentor_to_the_pool(admin_client, program, org, django_assert_max_num_queries):
    url = reverse("mentoring:mentor-list", args=[program.pk])
    response = admin_client.post(url, {"person": org.executive.email, "capacity": 3})
    assert response.status_code == 302
    assert Mentor.objects.get(program=program).person == org.executive
    with django_assert_max_num_queries(12):
        assert admin_client.get(url).status_code == 200


def test_an_unknown_mentor_is_a_field_error(admin_client, program):
    url = reverse("mentoring:mentor-list", args=[program.pk])
    response = admin_client.post(url, {"person": "nobody@example.com"})
    assert response.status_code == 400 and "person" in response.context["form"].errors
    assert not Mentor.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "program-detail",
        "program-settings",
        "question-list",
        "question-create",
        "mentor-list",
        "match",
    ],
)
def test_an_outsider_is_refused_the_admin_pages(client, org, program, name):
    client.force_login(org.outsider.user)
    assert client.get(reverse(f"mentoring:{name}", args=[program.pk])).status_code == 404


def test_a_mentee_is_forbidden_the_admin_pages(client, org, program, mentee):
    client.force_login(org.report.user)
    url = reverse("mentoring:program-settings", args=[program.pk])
    assert client.post(url, {"format": "group"}).status_code == 403
    assert MentoringSettings.objects.get(program=program).format == "one_to_one"


def test_an_outsider_cannot_change_questions_or_mentors(client, org, program, mentor):
    client.force_login(org.outsider.user)
    question = Question.objects.filter(program=program).first()
    assert client.post(reverse("mentoring:question-delete", args=[question.pk])).status_code == 403
    assert client.post(reverse("mentoring:mentor-edit", args=[mentor.pk]), {}).status_code == 403
    assert Question.objects.filter(pk=question.pk).exists()
