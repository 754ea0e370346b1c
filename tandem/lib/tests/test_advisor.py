"""The modality advisor against cases drawn from the seed articles, and properties that
hold for every combination of answers."""

import math
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.lib.advisor import (
    CUSTOMIZATIONS,
    INPUTS,
    LEVELS,
    MAX_CAUTIONS,
    MODALITIES,
    NEEDS,
    RECOMMENDATIONS,
    REINFORCEMENT,
    TIMES,
    BudgetBands,
    Situation,
    advise,
)

BASE = Situation(
    level="mid",
    need="skill_or_knowledge",
    customization="low",
    time_available="some",
    budget_per_person=600,
    people_sharing_need=12,
    practice_and_feedback=True,
)


def situation(**answers):
    return replace(BASE, **answers)


# (what the seed says, answers, recommendation, inputs named by the reasons in order)
CASES = [
    (
        "training is one-to-many: twelve emerging leaders learn to give feedback, and "
        "practice and feedback follow on the job",
        dict(level="emerging", budget_per_person=600, people_sharing_need=12),
        "training",
        (
            "need",
            "people_sharing_need",
            "customization",
            "level",
            "budget_per_person",
            "practice_and_feedback",
        ),
    ),
    (
        "without practice and feedback the forgetting curve is steep: add reinforcement",
        dict(level="emerging", people_sharing_need=12, practice_and_feedback=False),
        "training_reinforcement",
        (
            "need",
            "people_sharing_need",
            "customization",
            "level",
            "budget_per_person",
            "practice_and_feedback",
        ),
    ),
    (
        "knowledge forty people need, cheaply, with little time: training at scale",
        dict(
            level="individual_contributor",
            time_available="little",
            budget_per_person=200,
            people_sharing_need=40,
        ),
        "training",
        (
            "need",
            "people_sharing_need",
            "customization",
            "level",
            "budget_per_person",
            "practice_and_feedback",
        ),
    ),
    (
        "putting learning into practice needs a customized approach: coaching supplements "
        "training for fifteen mid-level managers",
        dict(
            customization="medium",
            budget_per_person=2500,
            people_sharing_need=15,
            practice_and_feedback=False,
        ),
        "training_reinforcement_coaching",
        ("need", "people_sharing_need", "customization", "customization", "budget_per_person"),
    ),
    (
        "five senior leaders learn strategy; higher levels want it customized",
        dict(level="senior", customization="medium", budget_per_person=3000, people_sharing_need=5),
        "training_reinforcement_coaching",
        (
            "need",
            "people_sharing_need",
            "customization",
            "practice_and_feedback",
            "customization",
            "budget_per_person",
        ),
    ),
    (
        "foundational self-awareness for thirty emerging leaders on a course budget: "
        "training is generalized, so reinforce it",
        dict(
            level="emerging",
            need="self_awareness",
            customization="medium",
            budget_per_person=400,
            people_sharing_need=30,
        ),
        "training_reinforcement",
        ("people_sharing_need", "level", "budget_per_person", "practice_and_feedback", "need"),
    ),
    (
        "the same thirty with a budget for a few sessions each: training, then coaching",
        dict(
            level="emerging",
            need="self_awareness",
            customization="medium",
            budget_per_person=2000,
            people_sharing_need=30,
        ),
        "training_reinforcement_coaching",
        (
            "need",
            "people_sharing_need",
            "customization",
            "level",
            "practice_and_feedback",
            "need",
            "budget_per_person",
        ),
    ),
    (
        "eight managers need organizational know-how: a course, then mentors",
        dict(
            need="career_navigation",
            budget_per_person=300,
            people_sharing_need=8,
            practice_and_feedback=False,
        ),
        "training_reinforcement_mentoring",
        ("need", "people_sharing_need", "customization", "budget_per_person", "need"),
    ),
    (
        "a high-potential leader preparing for a VP transition benefits from mentoring",
        dict(
            need="career_navigation",
            customization="medium",
            budget_per_person=800,
            people_sharing_need=1,
        ),
        "mentoring",
        ("need", "people_sharing_need", "customization"),
    ),
    (
        "an individual contributor eyeing a first management role: a mentor who walked it",
        dict(
            level="individual_contributor",
            need="career_navigation",
            customization="medium",
            budget_per_person=500,
            people_sharing_need=1,
            practice_and_feedback=False,
        ),
        "mentoring",
        ("need", "people_sharing_need", "customization"),
    ),
    (
        "three busy senior leaders, no budget, navigating the organization: the mentor "
        "does the heavy lifting",
        dict(
            level="senior",
            need="career_navigation",
            customization="medium",
            time_available="little",
            budget_per_person=0,
            people_sharing_need=3,
            practice_and_feedback=False,
        ),
        "mentoring",
        ("need", "customization", "level", "time_available"),
    ),
    (
        "a leader preparing for an executive role works with a coach while drawing on a "
        "mentor's strategic perspective",
        dict(
            level="senior",
            need="career_navigation",
            customization="high",
            budget_per_person=8000,
            people_sharing_need=1,
        ),
        "mentoring_coaching",
        (
            "need",
            "customization",
            "people_sharing_need",
            "level",
            "budget_per_person",
            "customization",
            "budget_per_person",
        ),
    ),
    (
        "a first-time manager struggling with delegation benefits from coaching",
        dict(
            level="emerging",
            need="self_awareness",
            customization="high",
            budget_per_person=4000,
            people_sharing_need=1,
        ),
        "coaching",
        ("need", "customization", "people_sharing_need"),
    ),
    (
        "a senior leader's reactive defensiveness: a six-month coaching engagement lasts",
        dict(
            level="senior",
            need="self_awareness",
            customization="high",
            time_available="plenty",
            budget_per_person=10000,
            people_sharing_need=1,
        ),
        "coaching",
        (
            "need",
            "customization",
            "people_sharing_need",
            "level",
            "time_available",
            "budget_per_person",
        ),
    ),
    (
        "a senior leader with little time still needs coaching for behaviour change",
        dict(
            level="senior",
            need="self_awareness",
            customization="high",
            time_available="little",
            budget_per_person=10000,
            people_sharing_need=1,
            practice_and_feedback=False,
        ),
        "coaching",
        ("need", "customization", "people_sharing_need", "level", "budget_per_person"),
    ),
    (
        "coaches rarely give advice: a senior leader learns a new skill in training first, "
        "then a coach personalizes its use",
        dict(
            level="senior",
            customization="high",
            time_available="plenty",
            budget_per_person=9000,
            people_sharing_need=1,
        ),
        "training_reinforcement_coaching",
        (
            "need",
            "people_sharing_need",
            "customization",
            "time_available",
            "budget_per_person",
            "practice_and_feedback",
            "need",
        ),
    ),
    (
        "a busy senior leader needs expert knowledge tailored to them: a trusted expert as "
        "mentor, a coach alongside",
        dict(
            level="senior",
            customization="high",
            time_available="little",
            budget_per_person=9000,
            people_sharing_need=1,
        ),
        "mentoring_coaching",
        (
            "customization",
            "people_sharing_need",
            "level",
            "budget_per_person",
            "customization",
            "budget_per_person",
        ),
    ),
    (
        "self-awareness with little time and no coaching budget: a mentor is what is within reach",
        dict(
            need="self_awareness",
            customization="medium",
            time_available="little",
            budget_per_person=300,
            people_sharing_need=1,
            practice_and_feedback=False,
        ),
        "mentoring",
        ("people_sharing_need", "customization", "time_available"),
    ),
    (
        "twenty emerging leaders need organizational know-how: a course, then mentors",
        dict(
            level="emerging",
            need="career_navigation",
            customization="medium",
            budget_per_person=1500,
            people_sharing_need=20,
        ),
        "training_reinforcement_mentoring",
        ("need", "people_sharing_need", "customization", "level", "practice_and_feedback", "need"),
    ),
]


@pytest.mark.parametrize(
    ("answers", "recommendation", "reason_inputs"),
    [case[1:] for case in CASES],
    ids=[case[0][:60] for case in CASES],
)
def test_it_recommends_what_the_seeds_say(answers, recommendation, reason_inputs):
    advice = advise(situation(**answers))
    assert advice.recommendation == recommendation
    assert tuple(reason.input for reason in advice.reasons) == reason_inputs


def test_it_has_a_table_of_at_least_fourteen_cases_covering_every_recommendation():
    assert len(CASES) >= 14
    assert {case[2] for case in CASES} == set(RECOMMENDATIONS)


def test_it_says_how_many_share_the_need():
    advice = advise(situation(people_sharing_need=12))
    assert advice.reasons[1].input == "people_sharing_need"
    assert advice.reasons[1].text == (
        "12 people share this need: training transfers it at scale (one-to-many), "
        "the cost-effective way to reach them all."
    )


def test_it_names_the_budget_in_its_reasons():
    advice = advise(situation(budget_per_person=12500, people_sharing_need=1))
    texts = [r.text for r in advice.reasons + advice.weighed_against]
    assert any(
        text.startswith("12,500 per person pays for a coaching engagement") for text in texts
    )


def test_it_lists_the_components_in_the_order_they_happen():
    advice = advise(situation(customization="medium", budget_per_person=2500))
    assert advice.components == ("training", "reinforcement", "coaching")
    assert advice.label == "Training followed by reinforcement and coaching"


def test_it_keeps_what_pulled_the_other_way_apart():
    advice = advise(situation(practice_and_feedback=False))
    assert [r.input for r in advice.weighed_against] == ["practice_and_feedback"]
    assert "fades" in advice.weighed_against[0].text


def test_it_warns_of_the_forgetting_curve_after_training():
    advice = advise(situation(practice_and_feedback=False))
    assert any("forgetting curve" in c.text for c in advice.watch)


def test_it_warns_that_mentoring_needs_chemistry():
    advice = advise(situation(need="career_navigation", people_sharing_need=1))
    assert advice.recommendation == "mentoring"
    assert any("chemistry" in c.text for c in advice.watch)


def test_it_warns_that_coaching_needs_willingness_and_trust():
    advice = advise(situation(need="self_awareness", customization="high", people_sharing_need=1))
    assert "coaching" in advice.components
    assert any("willingness" in c.text and "trust" in c.text for c in advice.watch)


def test_it_warns_that_a_course_alone_rarely_changes_behaviour():
    advice = advise(situation(need="self_awareness", people_sharing_need=30))
    assert advice.recommendation == "training_reinforcement"
    assert any("1-day course" in c.text for c in advice.watch)


def test_it_suggests_an_internal_coach_on_a_course_budget():
    advice = advise(
        situation(
            level="senior",
            need="self_awareness",
            customization="high",
            time_available="plenty",
            budget_per_person=200,
            people_sharing_need=1,
        )
    )
    assert advice.recommendation == "coaching"
    assert any("internal coach" in c.text for c in advice.watch)


def test_budget_bands_scale_to_another_currency():
    yen = BudgetBands(course_only_below=150_000, engagement_from=750_000)
    answers = situation(customization="medium", budget_per_person=100_000)
    assert advise(answers, yen).recommendation == "training"
    assert advise(answers).recommendation == "training_reinforcement_coaching"


@pytest.mark.parametrize(
    "answers",
    [
        dict(level="director"),
        dict(need="charisma"),
        dict(customization="extreme"),
        dict(time_available="none"),
        dict(budget_per_person=-1),
        dict(budget_per_person=math.nan),
        dict(budget_per_person=math.inf),
        dict(budget_per_person="500"),
        dict(budget_per_person=True),
        dict(people_sharing_need=0),
        dict(people_sharing_need=2.5),
        dict(practice_and_feedback="yes"),
    ],
)
def test_it_refuses_answers_outside_the_questions(answers):
    with pytest.raises(ValueError):
        situation(**answers)


def test_it_refuses_bands_in_the_wrong_order():
    with pytest.raises(ValueError):
        BudgetBands(course_only_below=5000, engagement_from=1000)


# Properties over every combination ----------------------------------------------------

situations = st.builds(
    Situation,
    level=st.sampled_from(LEVELS),
    need=st.sampled_from(NEEDS),
    customization=st.sampled_from(CUSTOMIZATIONS),
    time_available=st.sampled_from(TIMES),
    budget_per_person=st.one_of(
        st.integers(min_value=0, max_value=10_000_000),
        st.floats(min_value=0, max_value=1e9, allow_nan=False, allow_infinity=False),
    ),
    people_sharing_need=st.integers(min_value=1, max_value=1_000_000),
    practice_and_feedback=st.booleans(),
)


@given(situations)
def test_every_combination_gets_a_recommendation_with_reasons(answers):
    advice = advise(answers)
    assert advice.recommendation in RECOMMENDATIONS
    assert advice.components == RECOMMENDATIONS[advice.recommendation][0]
    assert advice.label
    assert advice.reasons, "a recommendation always says why"
    assert 1 <= len(advice.watch) <= MAX_CAUTIONS


@given(situations)
def test_every_reason_names_a_real_input_and_reads_as_text(answers):
    advice = advise(answers)
    for reason in advice.reasons + advice.weighed_against:
        assert reason.input in INPUTS
        assert reason.text and "%(" not in reason.text
    for caution in advice.watch:
        assert caution.text and "%(" not in caution.text


@given(situations)
def test_the_highest_scoring_modality_is_always_part_of_it(answers):
    advice = advise(answers)
    assert set(advice.scores) == set(MODALITIES)
    best = max(advice.scores.values())
    assert any(advice.scores[m] == best for m in advice.components if m != REINFORCEMENT)


@given(situations)
def test_it_is_deterministic(answers):
    assert advise(answers) == advise(replace(answers))


@given(situations)
def test_training_without_practice_is_never_left_alone(answers):
    advice = advise(answers)
    if not answers.practice_and_feedback and "training" in advice.components:
        assert "reinforcement" in advice.components
