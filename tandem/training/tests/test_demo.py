"""The training demo: a course run twice, one cohort reinforced and one not, with a
burst history that FSRS itself would have produced."""

from datetime import date

from django.test import TestCase

from tandem.lib import reinforcement as memory_model
from tandem.people import demo as people_demo
from tandem.people.demo import load_demo
from tandem.training import demo
from tandem.training.models import Card, CourseSession, PracticeLog, Review, Seat

AS_OF = date(2026, 6, 30)


class TestTheLoadedCourse(TestCase):
    """Read-only checks of one loaded demo (loaded once for the class)."""

    @classmethod
    def setUpTestData(cls):
        cls.summary = load_demo(size=400, seed=1, as_of=AS_OF)

    def test_it_runs_the_course_twice_one_run_reinforced(self):
        runs = list(CourseSession.objects.filter(course__title=demo.COURSE_TITLE))
        assert [run.reinforce for run in runs] == [True, False]
        for run in runs:
            assert Seat.objects.filter(session=run, attended=True).count() >= 10
        assert any("Training:" in line for line in self.summary.extras)

    def test_only_the_reinforced_run_has_bursts_and_all_have_cards(self):
        reinforced, comparison = CourseSession.objects.filter(course__title=demo.COURSE_TITLE)
        assert Review.objects.filter(card__seat__session=reinforced).count() > 50
        assert not Review.objects.filter(card__seat__session=comparison).exists()
        for run in (reinforced, comparison):
            attended = Seat.objects.filter(session=run, attended=True).count()
            assert Card.objects.filter(seat__session=run).count() == 4 * attended
        assert not Card.objects.filter(seat__session=comparison, retired=False).exists()

    def test_the_history_is_what_fsrs_schedules(self):
        session = CourseSession.objects.get(reinforce=True, course__title=demo.COURSE_TITLE)
        card = max(
            Card.objects.filter(seat__session=session).exclude(
                seat__person__user__username="participant"
            ),
            key=lambda c: c.reviews,
        )
        history = list(card.history.order_by("reviewed_at"))
        assert len(history) == card.reviews >= 2
        replayed = memory_model.replay(
            session.ends_at,
            [(r.reviewed_at, memory_model.Grade(r.rating)) for r in history],
            float(session.course.desired_retention),
        )
        assert [m.due for m in replayed[1:]] == [r.due_after for r in history]
        assert replayed[-1].due == card.due
        assert replayed[-1].stability == card.stability

    def test_the_demo_participant_has_bursts_due_and_practice_logged(self):
        due = Card.objects.due().filter(seat__person__user__username="participant")
        assert due.count() >= 2
        assert PracticeLog.objects.filter(person__user__username="participant").exists()
        assert PracticeLog.objects.exclude(confirmed_at=None).exists()

    def test_it_registers_with_the_demo_organization(self):
        assert (demo.load_training, demo.delete_training) in people_demo._LOADERS
