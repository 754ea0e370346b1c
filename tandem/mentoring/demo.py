"""Demo data for the matching half of mentoring (filled in below)."""

from tandem.people.demo import DemoContext


def load_mentoring(context: DemoContext) -> str:
    return ""


def delete_mentoring() -> None:
    pass
