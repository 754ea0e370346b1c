"""Who a mentoring program may match first: an extension point for the apps above.

Succession knows who was rated high potential; mentoring must not import it (DESIGN.md,
layers), so succession registers a source here in its AppConfig.ready(). A program with
"match high potentials first" asks for these people when it builds its match; the
engine weighs their matches up without changing any score or explanation, so nothing
a mentee or mentor sees tells who was preferred.
"""

from collections.abc import Callable, Iterable

PreferredSource = Callable[[], Iterable[int]]  # person ids

_SOURCES: list[PreferredSource] = []


def register(source: PreferredSource) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def preferred_people() -> set[int]:
    return {person_id for source in _SOURCES for person_id in source()}
