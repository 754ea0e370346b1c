"""The built-in instrument files, and the validator, comparison and style scoring in
tandem.lib.instruments on small hand-made documents."""

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.lib.instruments import (
    InstrumentError,
    compare_self_and_360,
    load,
    score_style,
    scored_answers,
    validate,
)

INSTRUMENTS = Path(__file__).resolve().parents[2] / "assessments" / "instruments"
FILES = ("leadership-360.json", "leadership-self.json", "style-profile.json")

COMPETENCY_NAMES = [
    "Self-awareness",
    "Communication and listening",
    "Coaching others",
    "Accountability",
    "Decision-making",
    "Strategic thinking",
    "Inclusion",
    "Leading change",
]

# Style names of published instruments that the built-in profile must not reuse.
PUBLISHED_STYLE_NAMES = {
    "dominance",
    "influence",
    "steadiness",
    "conscientiousness",
    "driver",
    "expressive",
    "amiable",
    "analytical",
}


@pytest.fixture(scope="module")
def leadership_360():
    return load(INSTRUMENTS / "leadership-360.json")


@pytest.fixture(scope="module")
def leadership_self():
    return load(INSTRUMENTS / "leadership-self.json")


@pytest.fixture(scope="module")
def style_profile():
    return load(INSTRUMENTS / "style-profile.json")


def item_keys(doc):
    return [item["key"] for c in doc["competencies"] for item in c["items"]]


# --- the built-in files ----------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_each_built_in_instrument_is_valid(name):
    doc = load(INSTRUMENTS / name)
    assert validate(doc) == []
    assert doc["key"] == name.removesuffix(".json")
    assert doc["version"] == 1


def test_the_directory_holds_exactly_the_built_in_instruments():
    assert sorted(p.name for p in INSTRUMENTS.glob("*.json")) == sorted(FILES)


def test_the_kinds_are_360_self_and_style(leadership_360, leadership_self, style_profile):
    assert (leadership_360["kind"], leadership_self["kind"], style_profile["kind"]) == (
        "360",
        "self",
        "style",
    )


@pytest.mark.parametrize("fixture", ["leadership_360", "leadership_self"])
def test_competencies_are_exactly_the_organizations_model(request, fixture):
    doc = request.getfixturevalue(fixture)
    assert [c["name"] for c in doc["competencies"]] == COMPETENCY_NAMES


@pytest.mark.parametrize("fixture", ["leadership_360", "leadership_self"])
def test_each_competency_has_four_or_five_behaviours(request, fixture):
    doc = request.getfixturevalue(fixture)
    for competency in doc["competencies"]:
        assert 4 <= len(competency["items"]) <= 5, competency["key"]


def test_self_and_360_have_the_same_item_keys_and_compare_cleanly(leadership_360, leadership_self):
    assert item_keys(leadership_self) == item_keys(leadership_360)
    assert compare_self_and_360(leadership_self, leadership_360) == []


def test_the_360_uses_a_frequency_scale_with_not_observed(leadership_360, leadership_self):
    scale = leadership_360["scale"]
    assert (scale["min"], scale["max"], scale["not_observed"]) == (1, 5, True)
    assert scale["labels"]["1"] == "Rarely"
    assert scale["labels"]["5"] == "Almost always"
    assert leadership_self["scale"]["labels"] == scale["labels"]


def test_the_360_has_one_or_two_reverse_keyed_items(leadership_360):
    reverse = [i["key"] for c in leadership_360["competencies"] for i in c["items"] if i["reverse"]]
    assert 1 <= len(reverse) <= 2


def test_360_items_are_about_the_subject_and_self_items_in_the_first_person(
    leadership_360, leadership_self
):
    for competency in leadership_360["competencies"]:
        for item in competency["items"]:
            words = item["text"].lower().replace(",", " ").split()
            assert not {"i", "my", "me"} & set(words), item["key"]
    for competency in leadership_self["competencies"]:
        for item in competency["items"]:
            assert item["text"].startswith("I "), item["key"]


def test_the_style_profile_has_the_promised_shape(style_profile):
    items = style_profile["items"]
    assert 16 <= len(items) <= 24
    assert style_profile["scale"]["not_observed"] is False
    for axis in style_profile["axes"]:
        on_axis = [i for i in items if i["axis"] == axis["key"]]
        assert len(on_axis) >= 8, axis["key"]
        assert any(i["reverse"] for i in on_axis), axis["key"]
        assert not all(i["reverse"] for i in on_axis), axis["key"]
    assert [a["key"] for a in style_profile["axes"]] == ["assertiveness", "orientation"]
    orientation = style_profile["axes"][1]
    assert (orientation["low"], orientation["high"]) == ("task", "people")
    styles = style_profile["styles"]
    assert len(styles) == 4
    for style in styles:
        others = {s["key"] for s in styles} - {style["key"]}
        assert set(style["flex_tips"]) == others
        assert style["strengths"] and style["watch_outs"]
        assert style["name"].lower() not in PUBLISHED_STYLE_NAMES


def test_the_built_in_style_profile_scores_hand_computed_answers(style_profile):
    items = style_profile["items"]

    def answers(assertive, people):
        """Answers that agree fully (5) with the chosen pole on each axis."""
        wanted = {"assertiveness": assertive, "orientation": people}
        return {i["key"]: (5 if wanted[i["axis"]] != i["reverse"] else 1) for i in items}

    assert score_style(style_profile, answers(True, False)) == (
        "pathfinder",
        {"assertiveness": 5.0, "orientation": 1.0},
    )
    assert score_style(style_profile, answers(True, True))[0] == "connector"
    assert score_style(style_profile, answers(False, True))[0] == "anchor"
    assert score_style(style_profile, answers(False, False)) == (
        "craftsperson",
        {"assertiveness": 1.0, "orientation": 1.0},
    )
    # Agreeing with everything: 10 items per axis, 4 reverse-keyed on each, so
    # (6 * 5 + 4 * 1) / 10 = 3.4 on both axes: above the midpoint 3.
    assert score_style(style_profile, {i["key"]: 5 for i in items}) == (
        "connector",
        {"assertiveness": 3.4, "orientation": 3.4},
    )
    # All "neither agree nor disagree": exactly on the midpoint, which counts as high.
    assert score_style(style_profile, {i["key"]: 3 for i in items}) == (
        "connector",
        {"assertiveness": 3.0, "orientation": 3.0},
    )


# --- small documents -------------------------------------------------------------------


def competency_doc(kind="360"):
    return {
        "key": "mini",
        "name": "Mini",
        "kind": kind,
        "version": 1,
        "description": "A small instrument.",
        "instructions": "Rate each behaviour.",
        "scale": {
            "min": 1,
            "max": 3,
            "labels": {"1": "Rarely", "2": "Sometimes", "3": "Often"},
            "not_observed": True,
        },
        "competencies": [
            {
                "key": "listening",
                "name": "Listening",
                "description": "Hears people out.",
                "items": [
                    {"key": "li-1", "text": "Lets people finish.", "reverse": False},
                    {"key": "li-2", "text": "Interrupts.", "reverse": True},
                ],
            },
            {
                "key": "deciding",
                "name": "Deciding",
                "description": "Decides.",
                "items": [{"key": "de-1", "text": "Decides on time.", "reverse": False}],
            },
        ],
    }


def style_doc(low=1, high=5):
    return {
        "key": "mini-style",
        "name": "Mini style",
        "kind": "style",
        "version": 1,
        "description": "Two axes, two items each.",
        "instructions": "Agree or disagree.",
        "scale": {
            "min": low,
            "max": high,
            "labels": {str(n): f"point {n}" for n in range(low, high + 1)},
        },
        "axes": [
            {"key": "pace", "low": "slow", "high": "fast"},
            {"key": "focus", "low": "task", "high": "people"},
        ],
        "items": [
            {"key": "p-1", "text": "I speak first.", "axis": "pace", "reverse": False},
            {"key": "p-2", "text": "I wait.", "axis": "pace", "reverse": True},
            {"key": "f-1", "text": "I ask how people are.", "axis": "focus", "reverse": False},
            {"key": "f-2", "text": "I stick to the agenda.", "axis": "focus", "reverse": True},
        ],
        "styles": [
            {
                "key": key,
                "name": key.title(),
                "quadrant": quadrant,
                "description": f"The {key} style.",
                "strengths": ["Something"],
                "watch_outs": ["Something else"],
                "flex_tips": {
                    other: f"With {other}, adapt."
                    for other in ("hare", "otter", "owl", "tortoise")
                    if other != key
                },
            }
            for key, quadrant in (
                ("hare", {"pace": "high", "focus": "task"}),
                ("otter", {"pace": "high", "focus": "people"}),
                ("owl", {"pace": "low", "focus": "task"}),
                ("tortoise", {"pace": "slow", "focus": "high"}),  # pole labels work too
            )
        ],
    }


def test_the_small_documents_are_valid():
    assert validate(competency_doc()) == []
    assert validate(style_doc()) == []
    assert validate(style_doc(1, 4)) == []
    assert compare_self_and_360(competency_doc("self"), competency_doc()) == []


def broken(doc, change):
    doc = copy.deepcopy(doc)
    change(doc)
    return validate(doc)


def first_competency(doc):
    return doc["competencies"][0]


def first_item(doc):
    return doc["competencies"][0]["items"][0]


def styles(doc):
    return {s["key"]: s for s in doc["styles"]}


COMPETENCY_BREAKAGES = [
    ("missing name", lambda d: d.pop("name"), "instrument: missing 'name'"),
    ("missing scale", lambda d: d.pop("scale"), "instrument: missing 'scale'"),
    ("missing items", lambda d: first_competency(d).pop("items"), "missing 'items'"),
    ("missing item key", lambda d: first_item(d).pop("key"), "items[0]: missing 'key'"),
    ("unknown kind", lambda d: d.update(kind="quiz"), "kind 'quiz' must be one of"),
    ("version zero", lambda d: d.update(version=0), "version must be a whole number"),
    ("version text", lambda d: d.update(version="1"), "version must be a whole number"),
    ("bad key", lambda d: d.update(key="Mini 360"), "key 'Mini 360' must be lowercase"),
    ("empty name", lambda d: d.update(name=" "), "'name' must be a non-empty string"),
    ("unknown field", lambda d: first_item(d).update(revers=True), "unknown field 'revers'"),
    ("min equals max", lambda d: d["scale"].update(min=3), "min (3) must be less than max (3)"),
    ("min above max", lambda d: d["scale"].update(min=4), "min (4) must be less than max (3)"),
    ("min not a number", lambda d: d["scale"].update(min="1"), "min must be a whole number"),
    ("too many points", lambda d: d["scale"].update(max=20), "more than 11 points"),
    ("label missing", lambda d: d["scale"]["labels"].pop("2"), "scale.labels: no label for 2"),
    ("label outside", lambda d: d["scale"]["labels"].update({"4": "x"}), "'4' is not a point"),
    ("label empty", lambda d: d["scale"]["labels"].update({"3": ""}), "label for 3 must be"),
    ("labels a list", lambda d: d["scale"].update(labels=["a"]), "labels must be an object"),
    (
        "not_observed text",
        lambda d: d["scale"].update(not_observed="yes"),
        "not_observed must be true or false",
    ),
    ("reverse text", lambda d: first_item(d).update(reverse="no"), "'reverse' must be true or"),
    ("reverse number", lambda d: first_item(d).update(reverse=1), "'reverse' must be true or"),
    ("missing reverse", lambda d: first_item(d).pop("reverse"), "missing 'reverse'"),
    (
        "duplicate item key across competencies",
        lambda d: d["competencies"][1]["items"][0].update(key="li-1"),
        "duplicate item key 'li-1' (also at competencies[0] (listening).items[0]",
    ),
    (
        "duplicate item text",
        lambda d: d["competencies"][1]["items"][0].update(text="lets people  finish."),
        "duplicate item text",
    ),
    (
        "duplicate competency key",
        lambda d: d["competencies"][1].update(key="listening"),
        "duplicate competency key 'listening'",
    ),
    (
        "duplicate competency name",
        lambda d: d["competencies"][1].update(name="listening"),
        "duplicate competency name",
    ),
    ("no competencies", lambda d: d.update(competencies=[]), "'competencies' must be a non-empty"),
    (
        "no items",
        lambda d: first_competency(d).update(items=[]),
        "'items' must be a non-empty list",
    ),
    ("item not an object", lambda d: first_competency(d)["items"].append("x"), "must be an object"),
    ("style field in a 360", lambda d: d.update(axes=[]), "unknown field 'axes'"),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [pytest.param(change, expected, id=name) for name, change, expected in COMPETENCY_BREAKAGES],
)
def test_validate_reports_each_problem_of_a_competency_instrument(change, expected):
    problems = broken(competency_doc(), change)
    assert any(expected in problem for problem in problems), problems


def set_quadrant(key, quadrant):
    return lambda d: styles(d)[key].update(quadrant=quadrant)


STYLE_BREAKAGES = [
    ("missing styles", lambda d: d.pop("styles"), "instrument: missing 'styles'"),
    ("one axis", lambda d: d["axes"].pop(), "exactly 2 axes, not 1"),
    (
        "three axes",
        lambda d: d["axes"].append({"key": "x", "low": "a", "high": "b"}),
        "exactly 2 axes, not 3",
    ),
    ("axis without low", lambda d: d["axes"][0].pop("low"), "axes[0] (pace): missing 'low'"),
    (
        "axis poles alike",
        lambda d: d["axes"][0].update(high="Slow"),
        "the low and high poles have the same label",
    ),
    (
        "duplicate axis key",
        lambda d: d["axes"][1].update(key="pace"),
        "duplicate axis key 'pace'",
    ),
    (
        "item on an unknown axis",
        lambda d: d["items"][0].update(axis="volume"),
        "axis 'volume' is not one of pace, focus",
    ),
    (
        "axis without items",
        lambda d: d.update(items=[i for i in d["items"] if i["axis"] == "pace"]),
        "no item measures the axis 'focus'",
    ),
    ("reverse text", lambda d: d["items"][1].update(reverse="true"), "'reverse' must be true or"),
    (
        "duplicate item key",
        lambda d: d["items"][1].update(key="p-1"),
        "duplicate item key 'p-1'",
    ),
    (
        "two styles in one quadrant",
        set_quadrant("owl", {"pace": "high", "focus": "task"}),
        "'hare' and 'owl' share the quadrant pace=high (fast), focus=low (task)",
    ),
    (
        "a quadrant without a style",
        set_quadrant("owl", {"pace": "high", "focus": "task"}),
        "no style for the quadrant pace=low (slow), focus=low (task)",
    ),
    (
        "a fifth style",
        lambda d: d["styles"].append({**copy.deepcopy(d["styles"][0]), "key": "lynx"}),
        "'hare' and 'lynx' share the quadrant",
    ),
    ("three styles", lambda d: d["styles"].pop(), "no style for the quadrant pace=low (slow)"),
    (
        "unknown pole",
        set_quadrant("owl", {"pace": "medium", "focus": "task"}),
        "quadrant pole 'medium' for 'pace' must be 'low' or 'high'",
    ),
    (
        "quadrant missing an axis",
        set_quadrant("owl", {"pace": "low"}),
        "quadrant has no pole for the axis 'focus'",
    ),
    (
        "quadrant naming an unknown axis",
        set_quadrant("owl", {"pace": "low", "focus": "task", "mood": "high"}),
        "quadrant names 'mood', which is not an axis",
    ),
    (
        "flex tip for an unknown style",
        lambda d: styles(d)["hare"]["flex_tips"].update(eagle="Be quick."),
        "styles[0] (hare): flex_tips names 'eagle', which is not a style",
    ),
    (
        "flex tip for its own style",
        lambda d: styles(d)["hare"]["flex_tips"].update(hare="Be yourself."),
        "flex_tips gives a tip for its own style 'hare'",
    ),
    (
        "missing flex tip",
        lambda d: styles(d)["hare"]["flex_tips"].pop("owl"),
        "flex_tips has no tip for working with 'owl'",
    ),
    (
        "empty flex tip",
        lambda d: styles(d)["hare"]["flex_tips"].update(owl=""),
        "the flex tip for 'owl' must be a non-empty string",
    ),
    ("no strengths", lambda d: styles(d)["owl"].update(strengths=[]), "'strengths' must be a"),
    (
        "empty watch-out",
        lambda d: styles(d)["owl"].update(watch_outs=["ok", ""]),
        "every entry of 'watch_outs' must be a non-empty string",
    ),
    (
        "duplicate style key",
        lambda d: d["styles"][1].update(key="hare"),
        "duplicate style key 'hare'",
    ),
    (
        "not observed in a style profile",
        lambda d: d["scale"].update(not_observed=True),
        "not_observed must be false",
    ),
    (
        "competencies in a style",
        lambda d: d.update(competencies=[]),
        "unknown field 'competencies'",
    ),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [pytest.param(change, expected, id=name) for name, change, expected in STYLE_BREAKAGES],
)
def test_validate_reports_each_problem_of_a_style_profile(change, expected):
    problems = broken(style_doc(), change)
    assert any(expected in problem for problem in problems), problems


def test_validate_lists_every_problem_not_just_the_first():
    def change(doc):
        doc.pop("description")
        doc["scale"]["labels"].pop("1")
        first_item(doc)["reverse"] = "yes"

    problems = broken(competency_doc(), change)
    assert len(problems) == 3, problems


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 12) | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=6,
)


def json_paths(obj, prefix=()):
    if prefix:
        yield prefix
    children = (
        obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    )
    for key, value in children:
        yield from json_paths(value, (*prefix, key))


@settings(max_examples=300, deadline=None)
@given(
    which=st.sampled_from(["360", "self", "style"]),
    edits=st.lists(st.tuples(st.integers(0, 10_000), JSON_VALUES, st.booleans()), max_size=3),
)
def test_validate_and_compare_never_crash_on_damaged_documents(which, edits):
    doc = style_doc() if which == "style" else competency_doc(which)
    for index, value, delete in edits:
        paths = list(json_paths(doc))
        *parents, last = paths[index % len(paths)]
        parent = doc
        for key in parents:
            parent = parent[key]
        if delete and isinstance(parent, dict):
            del parent[last]
        else:
            parent[last] = value
    problems = validate(doc)
    assert all(isinstance(problem, str) for problem in problems)
    assert isinstance(compare_self_and_360(doc, competency_doc()), list)
    if problems and which == "style":
        with pytest.raises(InstrumentError):
            score_style(doc, {"p-1": 3, "p-2": 3, "f-1": 3, "f-2": 3})


def test_validate_refuses_a_document_that_is_not_an_object():
    assert validate(["not", "an", "object"]) == ["instrument: must be a JSON object"]


# --- self against 360 --------------------------------------------------------------------


SELF_360_MISMATCHES = [
    (
        "item missing from self",
        lambda s, o: first_competency(s)["items"].pop(),
        "item 'li-2' is in the 360 but not in the self-assessment",
    ),
    (
        "extra item in self",
        lambda s, o: first_competency(s)["items"].append(
            {"key": "li-3", "text": "I nod.", "reverse": False}
        ),
        "item 'li-3' is in the self-assessment but not in the 360",
    ),
    (
        "item in another competency",
        lambda s, o: s["competencies"][1]["items"].append(first_competency(s)["items"].pop()),
        "item 'li-2' belongs to 'deciding' in the self-assessment but to 'listening'",
    ),
    (
        "reverse differs",
        lambda s, o: first_item(s).update(reverse=True),
        "item 'li-1' is reverse-keyed in one instrument but not the other",
    ),
    (
        "competency renamed",
        lambda s, o: first_competency(s).update(name="Hearing"),
        "competency 'listening' is named 'Hearing' in the self-assessment but 'Listening'",
    ),
    (
        "competency missing from self",
        lambda s, o: s["competencies"].pop(),
        "competency 'deciding' is in the 360 but not in the self-assessment",
    ),
    (
        "competency missing from 360",
        lambda s, o: o["competencies"].pop(),
        "competency 'deciding' is in the self-assessment but not in the 360",
    ),
    (
        "competencies reordered",
        lambda s, o: s["competencies"].reverse(),
        "the competencies are in a different order",
    ),
    ("scale differs", lambda s, o: s["scale"].update(max=4), "scale: max differs"),
    (
        "labels differ",
        lambda s, o: s["scale"]["labels"].update({"2": "Now and then"}),
        "scale: labels differ",
    ),
    ("wrong kinds", lambda s, o: s.update(kind="360"), "must be of kind 'self', not '360'"),
]


@pytest.mark.parametrize(
    ("change", "expected"),
    [pytest.param(change, expected, id=name) for name, change, expected in SELF_360_MISMATCHES],
)
def test_compare_self_and_360_reports_each_mismatch(change, expected):
    self_doc, doc = competency_doc("self"), competency_doc("360")
    change(self_doc, doc)
    problems = compare_self_and_360(self_doc, doc)
    assert any(expected in problem for problem in problems), problems


def test_compare_self_and_360_ignores_the_wording_and_not_observed():
    self_doc = competency_doc("self")
    first_item(self_doc)["text"] = "I let people finish."
    self_doc["scale"]["not_observed"] = False
    assert compare_self_and_360(self_doc, competency_doc()) == []


# --- style scoring --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "style", "scores"),
    [
        # pace: 5 and reverse(1) = 5 -> 5.0; focus: 1 and reverse(5) = 1 -> 1.0
        ({"p-1": 5, "p-2": 1, "f-1": 1, "f-2": 5}, "hare", {"pace": 5.0, "focus": 1.0}),
        # pace: 4 and reverse(2) = 4 -> 4.0; focus: 4 and reverse(1) = 5 -> 4.5
        ({"p-1": 4, "p-2": 2, "f-1": 4, "f-2": 1}, "otter", {"pace": 4.0, "focus": 4.5}),
        # pace: 2 and reverse(5) = 1 -> 1.5; focus: 2 and reverse(4) = 2 -> 2.0
        ({"p-1": 2, "p-2": 5, "f-1": 2, "f-2": 4}, "owl", {"pace": 1.5, "focus": 2.0}),
        # pace: 1 and reverse(4) = 2 -> 1.5; focus: 5 and reverse(3) = 3 -> 4.0
        ({"p-1": 1, "p-2": 4, "f-1": 5, "f-2": 3}, "tortoise", {"pace": 1.5, "focus": 4.0}),
        # Agreeing with everything: 5 and reverse(5) = 1 -> 3.0 on both, the midpoint:
        # ties count as high.
        ({"p-1": 5, "p-2": 5, "f-1": 5, "f-2": 5}, "otter", {"pace": 3.0, "focus": 3.0}),
        # A tie on one axis only: pace 3 and reverse(3) = 3 -> 3.0 (high);
        # focus 2 and reverse(5) = 1 -> 1.5 (low, task).
        ({"p-1": 3, "p-2": 3, "f-1": 2, "f-2": 5}, "hare", {"pace": 3.0, "focus": 1.5}),
        # Just below the midpoint: pace 3 and reverse(4) = 2 -> 2.5 (low).
        ({"p-1": 3, "p-2": 4, "f-1": 3, "f-2": 3}, "tortoise", {"pace": 2.5, "focus": 3.0}),
    ],
)
def test_score_style_on_hand_computed_answers(answers, style, scores):
    assert score_style(style_doc(), answers) == (style, scores)


@pytest.mark.parametrize(
    ("answers", "style", "scores"),
    [
        # A 1-4 scale has no middle answer; its midpoint is 2.5.
        # pace: 2 and reverse(2) = 3 -> 2.5 (tie: high); focus: 2 and reverse(4) = 1 -> 1.5
        ({"p-1": 2, "p-2": 2, "f-1": 2, "f-2": 4}, "hare", {"pace": 2.5, "focus": 1.5}),
        # pace: 2 and reverse(3) = 2 -> 2.0 (low); focus: 3 and reverse(2) = 3 -> 3.0 (high)
        ({"p-1": 2, "p-2": 3, "f-1": 3, "f-2": 2}, "tortoise", {"pace": 2.0, "focus": 3.0}),
    ],
)
def test_score_style_on_an_even_scale(answers, style, scores):
    assert score_style(style_doc(1, 4), answers) == (style, scores)


def test_score_style_with_unequal_item_counts_compares_means_exactly():
    doc = style_doc()
    doc["items"].append({"key": "p-3", "text": "I lead.", "axis": "pace", "reverse": False})
    # pace: 3 + reverse(4)=2 + 4 = 9 over 3 items -> 3.0, exactly the midpoint -> high
    answers = {"p-1": 3, "p-2": 4, "p-3": 4, "f-1": 1, "f-2": 5}
    assert score_style(doc, answers) == ("hare", {"pace": 3.0, "focus": 1.0})
    # one less on p-3: 8 / 3 = 2.67 -> low
    style, scores = score_style(doc, {**answers, "p-3": 3})
    assert style == "owl"
    assert scores["pace"] == pytest.approx(8 / 3)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({"p-1": 5, "p-2": 1, "f-1": 1}, "'f-2' is not answered"),
        ({"p-1": 5, "p-2": 1, "f-1": 1, "f-2": 5, "x-1": 3}, "'x-1' is not an item"),
        ({"p-1": 6, "p-2": 1, "f-1": 1, "f-2": 5}, "'p-1' must be a whole number from 1 to 5"),
        ({"p-1": 0, "p-2": 1, "f-1": 1, "f-2": 5}, "'p-1' must be a whole number from 1 to 5"),
        ({"p-1": True, "p-2": 1, "f-1": 1, "f-2": 5}, "not True"),
        ({"p-1": 2.5, "p-2": 1, "f-1": 1, "f-2": 5}, "not 2.5"),
    ],
)
def test_score_style_refuses_unusable_answers(answers, expected):
    with pytest.raises(InstrumentError, match=expected):
        score_style(style_doc(), answers)


def test_score_style_refuses_an_invalid_or_non_style_instrument():
    doc = style_doc()
    doc["styles"].pop()
    answers = {"p-1": 5, "p-2": 1, "f-1": 1, "f-2": 5}
    with pytest.raises(InstrumentError, match="no style for the quadrant"):
        score_style(doc, answers)
    with pytest.raises(InstrumentError, match="kind 'style'"):
        score_style(competency_doc(), answers)


# --- loading --------------------------------------------------------------------------


def test_load_reads_utf8_with_or_without_a_byte_order_mark(tmp_path):
    doc = style_doc()
    doc["description"] = "Zoë's profile"
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert load(path) == doc
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8-sig")
    assert load(str(path)) == doc


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'{"key": "x",\n "name": }', "invalid JSON at line 2, column 10"),
        (b'{"key": "a", "key": "b"}', "the field 'key' appears twice"),
        (b'{"scale": {"labels": {"1": "a", "1": "b"}}}', "the field '1' appears twice"),
        (b"[1, 2]", "the top level must be a JSON object"),
        (b'{"name": "caf\xe9"}', "not UTF-8 text"),
    ],
)
def test_load_refuses_files_that_are_not_an_instrument_object(tmp_path, content, expected):
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    with pytest.raises(InstrumentError, match=expected):
        load(path)


def test_scored_answers_turn_reverse_items_round_and_skip_non_ratings() -> None:
    doc = {
        "scale": {"min": 1, "max": 5},
        "competencies": [
            {"key": "a", "items": [{"key": "a1"}, {"key": "a2", "reverse": True}]},
            {"key": "b", "items": [{"key": "b1"}, {"key": "b2"}, {"key": "b3"}]},
        ],
    }
    answers = {"a1": 4, "a2": 4, "b1": "n/o", "b2": 9, "b3": True, "x": 3}
    assert scored_answers(doc, answers) == [("a1", "a", 0, 0, 4, 4), ("a2", "a", 1, 0, 4, 2)]
    assert [a.item_number for a in scored_answers(doc, {"b3": 2})] == [4]
