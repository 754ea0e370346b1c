"""Assessment instrument files: loading, validation, comparison and style scoring.

An instrument is a JSON document (the format is described in
`tandem/assessments/instruments/README.md`): a rating scale and either competencies
made of items (kinds "360" and "self") or two axes, items on those axes and four styles
(kind "style"). This module checks documents without touching the database, so the
built-in files, admin imports and the instrument engine all share one set of rules.

- `load(path)` reads a UTF-8 JSON file and returns the document, refusing invalid JSON
  and duplicate field names (which `json` would otherwise silently collapse).
- `validate(doc)` lists every problem as a readable message; an empty list means valid.
- `compare_self_and_360(self_doc, doc)` lists the differences that would stop a
  self-assessment being compared item by item with a 360.
- `score_style(doc, answers)` returns the style a set of answers places a person in,
  and the score on each axis.

Style scoring. A reverse-keyed item's answer counts as `min + max - answer`. An axis
score is the mean of its items' keyed answers, on the instrument's own scale. A score
above the scale midpoint `(min + max) / 2` puts the person at the axis's high pole,
below it at the low pole. **A score exactly on the midpoint counts as high**: the rule
is fixed so that the same answers always give the same style. The comparison is done
in integers (`2 * sum` against `(min + max) * count`), so no rounding can move a
score across the midpoint. Callers that want to say "close to the midpoint" use the
returned axis scores.

Standard library only; this module imports nothing from the project.
"""

import itertools
import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

KINDS = ("360", "self", "style")
COMPETENCY_KINDS = ("360", "self")
POLES = ("low", "high")
# A scale may have from 2 to this many points (0-10 is the widest in common use).
MAX_SCALE_POINTS = 11

KEY_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")

COMMON_REQUIRED = ("key", "name", "kind", "version", "description", "instructions", "scale")
COMPETENCY_REQUIRED = ("competencies",)
STYLE_REQUIRED = ("axes", "items", "styles")
SCALE_REQUIRED = ("min", "max", "labels")
SCALE_OPTIONAL = ("not_observed",)
COMPETENCY_FIELDS = ("key", "name", "description", "items")
COMPETENCY_ITEM_FIELDS = ("key", "text", "reverse")
AXIS_REQUIRED = ("key", "low", "high")
AXIS_OPTIONAL = ("name", "description")
STYLE_ITEM_FIELDS = ("key", "text", "axis", "reverse")
STYLE_FIELDS = (
    "key",
    "name",
    "quadrant",
    "description",
    "strengths",
    "watch_outs",
    "flex_tips",
)

Doc = Mapping[str, Any]


class InstrumentError(ValueError):
    """An instrument file or document that cannot be used; the message says why."""


# --- loading -------------------------------------------------------------------------


def _no_duplicate_fields(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise InstrumentError(f"the field {name!r} appears twice in one object")
        result[name] = value
    return result


def load(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Reads one instrument file. Raises `InstrumentError` when it is not UTF-8 JSON
    with an object at the top; does not validate the content (see `validate`)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InstrumentError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicate_fields)
    except json.JSONDecodeError as exc:
        raise InstrumentError(
            f"{path}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from exc
    except RecursionError as exc:
        raise InstrumentError(f"{path}: nested too deeply to be an instrument") from exc
    except InstrumentError as exc:
        raise InstrumentError(f"{path}: {exc}") from exc
    if not isinstance(doc, dict):
        raise InstrumentError(f"{path}: the top level must be a JSON object")
    return doc


# --- small checks --------------------------------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _label(where: str, obj: Any) -> str:
    """`competencies[2]` becomes `competencies[2] (inclusion)` when the key is usable."""
    if isinstance(obj, Mapping) and isinstance(obj.get("key"), str) and obj["key"]:
        return f"{where} ({obj['key']})"
    return where


def _fields(
    obj: Any,
    where: str,
    required: Iterable[str],
    optional: Iterable[str],
    problems: list[str],
) -> bool:
    """Checks that `obj` is an object with the required fields and no unknown ones.
    Returns whether it is an object at all (so callers can look inside)."""
    if not isinstance(obj, Mapping):
        problems.append(f"{where}: must be an object")
        return False
    required = tuple(required)
    known = set(required) | set(optional)
    for name in required:
        if name not in obj:
            problems.append(f"{where}: missing {name!r}")
    for name in obj:
        if name not in known:
            problems.append(f"{where}: unknown field {name!r}")
    return True


def _check_text(obj: Mapping[str, Any], name: str, where: str, problems: list[str]) -> None:
    if name in obj and not _is_text(obj[name]):
        problems.append(f"{where}: {name!r} must be a non-empty string")


def _check_key(obj: Mapping[str, Any], where: str, problems: list[str]) -> str | None:
    """Returns the key when it is well-formed."""
    if "key" not in obj:
        return None
    key = obj["key"]
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        problems.append(
            f"{where}: key {key!r} must be lowercase letters and digits, joined by hyphens"
        )
        return None
    return key


def _check_reverse(obj: Mapping[str, Any], where: str, problems: list[str]) -> None:
    if "reverse" in obj and not isinstance(obj["reverse"], bool):
        problems.append(f"{where}: 'reverse' must be true or false, not {obj['reverse']!r}")


def _list(obj: Mapping[str, Any], name: str, where: str, problems: list[str]) -> list[Any]:
    """The non-empty list under `name`, or [] (with a problem) when it is not one."""
    if name not in obj:
        return []
    value = obj[name]
    if not isinstance(value, list) or not value:
        problems.append(f"{where}: {name!r} must be a non-empty list")
        return []
    return value


def _duplicates(
    seen: dict[str, str], value: str, where: str, what: str, problems: list[str]
) -> None:
    if value in seen:
        problems.append(f"{where}: duplicate {what} {value!r} (also at {seen[value]})")
    else:
        seen[value] = where


# --- validation ----------------------------------------------------------------------


def validate(doc: Any) -> list[str]:
    """Every problem with an instrument document, as readable messages ([] = valid)."""
    problems: list[str] = []
    if not isinstance(doc, Mapping):
        return ["instrument: must be a JSON object"]
    kind = doc.get("kind")
    required: tuple[str, ...]
    optional: tuple[str, ...]
    if kind in COMPETENCY_KINDS:
        required, optional = COMMON_REQUIRED + COMPETENCY_REQUIRED, ()
    elif kind == "style":
        required, optional = COMMON_REQUIRED + STYLE_REQUIRED, ()
    else:
        # Unknown kind: report it, and do not also call the other fields unknown.
        required, optional = COMMON_REQUIRED, COMPETENCY_REQUIRED + STYLE_REQUIRED
        if "kind" in doc:
            problems.append(f"instrument: kind {kind!r} must be one of {', '.join(KINDS)}")
    _fields(doc, "instrument", required, optional, problems)
    _check_key(doc, "instrument", problems)
    for name in ("name", "description", "instructions"):
        _check_text(doc, name, "instrument", problems)
    if "version" in doc and (not _is_int(doc["version"]) or doc["version"] < 1):
        problems.append(
            f"instrument: version must be a whole number from 1, not {doc['version']!r}"
        )
    if "scale" in doc:
        _validate_scale(doc["scale"], kind, problems)
    if kind in COMPETENCY_KINDS:
        _validate_competencies(doc, problems)
    elif kind == "style":
        _validate_style(doc, problems)
    return problems


def _validate_scale(scale: Any, kind: Any, problems: list[str]) -> tuple[int, int] | None:
    """Checks the scale; returns (min, max) when they are usable."""
    where = "scale"
    if not _fields(scale, where, SCALE_REQUIRED, SCALE_OPTIONAL, problems):
        return None
    low, high = scale.get("min"), scale.get("max")
    bounds: tuple[int, int] | None = None
    if "min" in scale and not _is_int(low):
        problems.append(f"{where}: min must be a whole number, not {low!r}")
    elif "max" in scale and not _is_int(high):
        problems.append(f"{where}: max must be a whole number, not {high!r}")
    elif _is_int(low) and _is_int(high):
        if low >= high:
            problems.append(f"{where}: min ({low}) must be less than max ({high})")
        elif high - low + 1 > MAX_SCALE_POINTS:
            problems.append(f"{where}: {low} to {high} has more than {MAX_SCALE_POINTS} points")
        else:
            bounds = (low, high)
    if "labels" in scale:
        labels = scale["labels"]
        if not isinstance(labels, Mapping):
            problems.append(f"{where}: labels must be an object from scale point to label")
        elif bounds is not None:
            points = [str(n) for n in range(bounds[0], bounds[1] + 1)]
            for point in points:
                if point not in labels:
                    problems.append(f"{where}.labels: no label for {point}")
                elif not _is_text(labels[point]):
                    problems.append(
                        f"{where}.labels: the label for {point} must be a non-empty string"
                    )
            for point in labels:
                if point not in points:
                    problems.append(
                        f"{where}.labels: {point!r} is not a point of the scale "
                        f"{bounds[0]} to {bounds[1]}"
                    )
    if "not_observed" in scale:
        allowed = scale["not_observed"]
        if not isinstance(allowed, bool):
            problems.append(f"{where}: not_observed must be true or false, not {allowed!r}")
        elif allowed and kind == "style":
            problems.append(
                f"{where}: a style profile needs every answer, so not_observed must be false"
            )
    return bounds


def _validate_competencies(doc: Doc, problems: list[str]) -> None:
    competency_keys: dict[str, str] = {}
    competency_names: dict[str, str] = {}
    item_keys: dict[str, str] = {}
    item_texts: dict[str, str] = {}
    for c, competency in enumerate(_list(doc, "competencies", "instrument", problems)):
        where = _label(f"competencies[{c}]", competency)
        if not _fields(competency, where, COMPETENCY_FIELDS, (), problems):
            continue
        key = _check_key(competency, where, problems)
        if key is not None:
            _duplicates(competency_keys, key, where, "competency key", problems)
        _check_text(competency, "name", where, problems)
        _check_text(competency, "description", where, problems)
        if _is_text(competency.get("name")):
            name = competency["name"].strip().casefold()
            _duplicates(competency_names, name, where, "competency name", problems)
        for i, item in enumerate(_list(competency, "items", where, problems)):
            item_where = _label(f"{where}.items[{i}]", item)
            if not _fields(item, item_where, COMPETENCY_ITEM_FIELDS, (), problems):
                continue
            item_key = _check_key(item, item_where, problems)
            if item_key is not None:
                _duplicates(item_keys, item_key, item_where, "item key", problems)
            _check_text(item, "text", item_where, problems)
            if _is_text(item.get("text")):
                text = " ".join(item["text"].split()).casefold()
                _duplicates(item_texts, text, item_where, "item text", problems)
            _check_reverse(item, item_where, problems)


def _validate_style(doc: Doc, problems: list[str]) -> None:
    axes = _validate_axes(doc, problems)

    item_keys: dict[str, str] = {}
    items_per_axis = dict.fromkeys(axes, 0)
    for i, item in enumerate(_list(doc, "items", "instrument", problems)):
        where = _label(f"items[{i}]", item)
        if not _fields(item, where, STYLE_ITEM_FIELDS, (), problems):
            continue
        key = _check_key(item, where, problems)
        if key is not None:
            _duplicates(item_keys, key, where, "item key", problems)
        _check_text(item, "text", where, problems)
        _check_reverse(item, where, problems)
        if "axis" in item:
            if isinstance(item["axis"], str) and item["axis"] in items_per_axis:
                items_per_axis[item["axis"]] += 1
            elif axes:
                problems.append(f"{where}: axis {item['axis']!r} is not one of {', '.join(axes)}")
    if "items" in doc:
        for axis, count in items_per_axis.items():
            if count == 0:
                problems.append(f"items: no item measures the axis {axis!r}")

    style_keys: dict[str, str] = {}
    styles = _list(doc, "styles", "instrument", problems)
    for s, style in enumerate(styles):
        key = style.get("key") if isinstance(style, Mapping) else None
        if isinstance(key, str) and KEY_PATTERN.match(key):
            _duplicates(style_keys, key, _label(f"styles[{s}]", style), "style key", problems)
    quadrants: dict[tuple[str, ...], list[str]] = {}
    for s, style in enumerate(styles):
        where = _label(f"styles[{s}]", style)
        if not _fields(style, where, STYLE_FIELDS, (), problems):
            continue
        key = _check_key(style, where, problems)
        for name in ("name", "description"):
            _check_text(style, name, where, problems)
        for name in ("strengths", "watch_outs"):
            entries = _list(style, name, where, problems)
            if any(not _is_text(entry) for entry in entries):
                problems.append(f"{where}: every entry of {name!r} must be a non-empty string")
        if "quadrant" in style:
            quadrant = _quadrant(style["quadrant"], axes, where, problems)
            if quadrant is not None:
                quadrants.setdefault(quadrant, []).append(key or where)
        if "flex_tips" in style:
            _validate_flex_tips(style["flex_tips"], key, style_keys, where, problems)

    if len(axes) == 2 and styles:
        for poles in itertools.product(POLES, repeat=len(axes)):
            owners = quadrants.get(poles, [])
            described = _describe_quadrant(axes, poles)
            if not owners:
                problems.append(f"styles: no style for the quadrant {described}")
            elif len(owners) > 1:
                problems.append(
                    f"styles: {' and '.join(map(repr, owners))} share the quadrant {described}; "
                    "each quadrant needs exactly one style"
                )


def _validate_axes(doc: Doc, problems: list[str]) -> dict[str, Mapping[str, Any]]:
    """The axes by key, when there are exactly two well-formed ones; else {}."""
    axes: dict[str, Mapping[str, Any]] = {}
    entries = _list(doc, "axes", "instrument", problems)
    if entries and len(entries) != 2:
        problems.append(f"instrument: a style profile needs exactly 2 axes, not {len(entries)}")
    usable = len(entries) == 2
    for a, axis in enumerate(entries):
        where = _label(f"axes[{a}]", axis)
        if not _fields(axis, where, AXIS_REQUIRED, AXIS_OPTIONAL, problems):
            usable = False
            continue
        key = _check_key(axis, where, problems)
        for name in ("low", "high", "name", "description"):
            _check_text(axis, name, where, problems)
        low, high = axis.get("low"), axis.get("high")
        if isinstance(low, str) and isinstance(high, str):
            if low.strip().casefold() == high.strip().casefold():
                problems.append(f"{where}: the low and high poles have the same label {low!r}")
            if low.strip() == "high" or high.strip() == "low":
                problems.append(f"{where}: a pole labelled 'low' or 'high' must be that pole")
        if key is None:
            usable = False
        elif key in axes:
            problems.append(f"{where}: duplicate axis key {key!r}")
            usable = False
        else:
            axes[key] = axis
    return axes if usable else {}


def _pole(axis: Mapping[str, Any], value: Any) -> str | None:
    """A quadrant names a pole as "low"/"high" or by the pole's label ("task")."""
    if value in POLES:
        return str(value)
    for pole in POLES:
        if isinstance(value, str) and value == axis.get(pole):
            return pole
    return None


def _quadrant(
    quadrant: Any, axes: Mapping[str, Mapping[str, Any]], where: str, problems: list[str]
) -> tuple[str, ...] | None:
    """The quadrant as poles in axis order, or None (with problems) when unusable."""
    if not isinstance(quadrant, Mapping):
        problems.append(f"{where}: quadrant must be an object from axis to pole")
        return None
    if not axes:
        return None
    ok = True
    for name in quadrant:
        if name not in axes:
            problems.append(f"{where}: quadrant names {name!r}, which is not an axis")
            ok = False
    poles = []
    for key, axis in axes.items():
        if key not in quadrant:
            problems.append(f"{where}: quadrant has no pole for the axis {key!r}")
            ok = False
            continue
        pole = _pole(axis, quadrant[key])
        if pole is None:
            problems.append(
                f"{where}: quadrant pole {quadrant[key]!r} for {key!r} must be 'low' or 'high' "
                f"or the pole's label ({axis.get('low')!r} or {axis.get('high')!r})"
            )
            ok = False
        poles.append(pole or "")
    return tuple(poles) if ok else None


def _describe_quadrant(axes: Mapping[str, Mapping[str, Any]], poles: tuple[str, ...]) -> str:
    parts = []
    for (key, axis), pole in zip(axes.items(), poles, strict=True):
        parts.append(f"{key}={pole} ({axis.get(pole)})")
    return ", ".join(parts)


def _validate_flex_tips(
    tips: Any, own_key: str | None, style_keys: Mapping[str, str], where: str, problems: list[str]
) -> None:
    if not isinstance(tips, Mapping):
        problems.append(f"{where}: flex_tips must be an object from style key to tip")
        return
    for other, tip in tips.items():
        if other == own_key:
            problems.append(f"{where}: flex_tips gives a tip for its own style {other!r}")
        elif other not in style_keys:
            problems.append(f"{where}: flex_tips names {other!r}, which is not a style")
        if not _is_text(tip):
            problems.append(f"{where}: the flex tip for {other!r} must be a non-empty string")
    for other in style_keys:
        if other != own_key and other not in tips:
            problems.append(f"{where}: flex_tips has no tip for working with {other!r}")


# --- self-assessment against 360 ------------------------------------------------------


def _competency_items(doc: Any) -> tuple[dict[str, Any], dict[str, tuple[str, Any]]]:
    """(competency key -> name, item key -> (competency key, reverse)), skipping
    anything malformed (validate() reports that)."""
    competencies: dict[str, Any] = {}
    items: dict[str, tuple[str, Any]] = {}
    entries = doc.get("competencies") if isinstance(doc, Mapping) else None
    for competency in entries if isinstance(entries, list) else []:
        if not isinstance(competency, Mapping) or not isinstance(competency.get("key"), str):
            continue
        competencies[competency["key"]] = competency.get("name")
        item_list = competency.get("items")
        for item in item_list if isinstance(item_list, list) else []:
            if isinstance(item, Mapping) and isinstance(item.get("key"), str):
                items[item["key"]] = (competency["key"], item.get("reverse"))
    return competencies, items


def compare_self_and_360(self_doc: Any, doc: Any) -> list[str]:
    """Why the self-assessment `self_doc` cannot be compared item by item with the 360
    `doc`: kinds, scale, competencies (key and name) and items (key, competency and
    reverse keying) must match. [] when they can. Validate each document on its own too."""
    problems: list[str] = []
    for document, expected, role in ((self_doc, "self", "first"), (doc, "360", "second")):
        kind = document.get("kind") if isinstance(document, Mapping) else None
        if kind != expected:
            problems.append(f"the {role} instrument must be of kind {expected!r}, not {kind!r}")
    self_scale = self_doc.get("scale") if isinstance(self_doc, Mapping) else None
    scale = doc.get("scale") if isinstance(doc, Mapping) else None
    if isinstance(self_scale, Mapping) and isinstance(scale, Mapping):
        for name in ("min", "max", "labels"):
            if self_scale.get(name) != scale.get(name):
                problems.append(
                    f"scale: {name} differs (self {self_scale.get(name)!r}, "
                    f"360 {scale.get(name)!r})"
                )

    self_competencies, self_items = _competency_items(self_doc)
    competencies, items = _competency_items(doc)
    for key, name in competencies.items():
        if key not in self_competencies:
            problems.append(f"competency {key!r} is in the 360 but not in the self-assessment")
        elif self_competencies[key] != name:
            problems.append(
                f"competency {key!r} is named {self_competencies[key]!r} in the "
                f"self-assessment but {name!r} in the 360"
            )
    for key in self_competencies:
        if key not in competencies:
            problems.append(f"competency {key!r} is in the self-assessment but not in the 360")
    if [k for k in self_competencies if k in competencies] != [
        k for k in competencies if k in self_competencies
    ]:
        problems.append("the competencies are in a different order")

    for key, (competency, reverse) in items.items():
        if key not in self_items:
            problems.append(f"item {key!r} is in the 360 but not in the self-assessment")
            continue
        self_competency, self_reverse = self_items[key]
        if self_competency != competency:
            problems.append(
                f"item {key!r} belongs to {self_competency!r} in the self-assessment "
                f"but to {competency!r} in the 360"
            )
        if self_reverse != reverse:
            problems.append(f"item {key!r} is reverse-keyed in one instrument but not the other")
    for key in self_items:
        if key not in items:
            problems.append(f"item {key!r} is in the self-assessment but not in the 360")
    return problems


# --- style scoring ---------------------------------------------------------------------


def score_style(doc: Doc, answers: Mapping[str, int]) -> tuple[str, dict[str, float]]:
    """The style key for `answers` (item key -> answer) and each axis's mean keyed
    score. Every item must be answered with a whole number on the scale. A mean exactly
    on the scale midpoint counts as the high pole (see the module docstring). Raises
    `InstrumentError` for an invalid style document or unusable answers."""
    if not isinstance(doc, Mapping) or doc.get("kind") != "style":
        raise InstrumentError("score_style needs an instrument of kind 'style'")
    invalid = validate(doc)
    if invalid:
        raise InstrumentError("invalid style instrument: " + "; ".join(invalid))
    low, high = doc["scale"]["min"], doc["scale"]["max"]
    items = {item["key"]: item for item in doc["items"]}

    problems = [f"{key!r} is not an item of this instrument" for key in answers if key not in items]
    problems += [f"{key!r} is not answered" for key in items if key not in answers]
    for key, value in answers.items():
        if key in items and (not _is_int(value) or not low <= value <= high):
            problems.append(
                f"the answer to {key!r} must be a whole number from {low} to {high}, not {value!r}"
            )
    if problems:
        raise InstrumentError("; ".join(problems))

    totals = {axis["key"]: 0 for axis in doc["axes"]}
    counts = dict.fromkeys(totals, 0)
    for key, item in items.items():
        value = answers[key]
        totals[item["axis"]] += low + high - value if item["reverse"] else value
        counts[item["axis"]] += 1

    poles = {}
    for axis, total in totals.items():
        # mean >= midpoint, in integers: total / count >= (low + high) / 2.
        poles[axis] = "high" if 2 * total >= (low + high) * counts[axis] else "low"
    scores = {axis: total / counts[axis] for axis, total in totals.items()}
    axes = {axis["key"]: axis for axis in doc["axes"]}
    for style in doc["styles"]:
        if all(_pole(axes[a], p) == poles[a] for a, p in style["quadrant"].items()):
            return style["key"], scores
    raise AssertionError("validate() guarantees one style per quadrant")  # pragma: no cover


# --- answers as rows ------------------------------------------------------------------


class ScoredAnswer(NamedTuple):
    item: str
    competency: str
    item_number: int  # the item's place in the instrument, from 0
    competency_number: int  # the competency's place, from 0
    value: int  # the point of the scale as chosen
    score: int  # reverse-keyed items turned round (min + max - value): higher is better


def scored_answers(doc: Doc, answers: Mapping[str, Any]) -> list[ScoredAnswer]:
    """The rated answers of a competency instrument, in the instrument's order.
    "Not observed", blanks and anything off the scale are no rating and give no row.
    `doc` must be valid."""
    low, high = int(doc["scale"]["min"]), int(doc["scale"]["max"])
    rows = []
    number = 0
    for competency_number, competency in enumerate(doc["competencies"]):
        for item in competency["items"]:
            value = answers.get(item["key"])
            if not isinstance(value, bool) and isinstance(value, int) and low <= value <= high:
                score = low + high - value if item.get("reverse") else value
                rows.append(
                    ScoredAnswer(
                        item["key"], competency["key"], number, competency_number, value, score
                    )
                )
            number += 1
    return rows
