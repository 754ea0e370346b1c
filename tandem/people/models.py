from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Leader levels, lowest first; the order defines what counts as a promotion."""

    INDIVIDUAL_CONTRIBUTOR = "individual_contributor", _("Individual contributor")
    EMERGING = "emerging", _("Emerging leader")
    MID = "mid", _("Mid-level manager")
    SENIOR = "senior", _("Senior executive")

    @classmethod
    def rank(cls, value: str) -> int:
        return list(cls.values).index(value)


class ExitType(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary")
    INVOLUNTARY = "involuntary", _("Involuntary")


class OrgUnitQuerySet(models.QuerySet["OrgUnit"]):
    def subtree_ids(self, unit: "OrgUnit") -> list[int]:
        """Ids of `unit` and every unit below it."""
        return list(
            self.filter(
                models.Q(pk=unit.pk) | models.Q(path__startswith=unit.path + "/")
            ).values_list("pk", flat=True)
        )


class OrgUnit(models.Model):
    """A department or team. `path` is the full name from the root, e.g.
    "Operations/Logistics"; it is what imports refer to and it makes subtrees cheap."""

    name = models.CharField(_("name"), max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("path"), max_length=500, unique=True, editable=False)

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        ordering = ["path"]  # `path` is unique, so a name is unique under its parent

    def __str__(self) -> str:
        return self.path

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.path = f"{self.parent.path}/{self.name}" if self.parent else self.name
        super().save(*args, **kwargs)
        for child in self.children.all():
            child.save()  # keep descendants' paths in step after a rename or move

    @property
    def depth(self) -> int:
        return self.path.count("/")

    @classmethod
    def ensure_path(cls, path: str) -> "OrgUnit":
        """The unit at `path` ("Operations/Logistics"), created with its parents if new."""
        parent = None
        for name in [part.strip() for part in path.split("/") if part.strip()]:
            parent, _ = cls.objects.get_or_create(parent=parent, name=name)
        if parent is None:
            raise ValueError("empty org-unit path")
        return parent


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self, on: date | None = None) -> "PersonQuerySet":
        """Employed on `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(models.Q(exit_date__isnull=True) | models.Q(exit_date__gt=on))

    def departed(self) -> "PersonQuerySet":
        return self.filter(exit_date__isnull=False)

    def at_level(self, level: str) -> "PersonQuerySet":
        return self.filter(level=level)

    def in_unit(self, unit: OrgUnit) -> "PersonQuerySet":
        """People in `unit` or any unit below it."""
        return self.filter(org_unit_id__in=OrgUnit.objects.subtree_ids(unit))

    def search(self, text: str) -> "PersonQuerySet":
        """Every word must match a name, email, title or employee id. Results sort by
        name, case-insensitively."""
        # Sorting by an expression keeps the database off the name index: walking that
        # index past every non-matching row costs ~100 ms at 100,000 people, sorting the
        # matches a few ms (bench/people_bench.py).
        qs = self.order_by(Lower("last_name"), Lower("first_name"), "pk")
        for word in text.split():
            qs = qs.filter(
                models.Q(first_name__icontains=word)
                | models.Q(last_name__icontains=word)
                | models.Q(email__icontains=word)
                | models.Q(title__icontains=word)
                | models.Q(employee_id__iexact=word)
            )
        return qs

    def below(self, person: "Person") -> "PersonQuerySet":
        """Everyone in `person`'s reporting line (direct and indirect reports)."""
        lines = ReportingLine.objects.filter(manager_id=person.pk, depth__gt=0)
        return self.filter(pk__in=lines.values("person_id"))

    def line_of(self, person: "Person") -> "PersonQuerySet":
        """`person` and everyone below them."""
        return self.filter(
            pk__in=ReportingLine.objects.filter(manager_id=person.pk).values("person_id")
        )

    def directory(self) -> "PersonQuerySet":
        return self.select_related("org_unit", "manager").order_by("last_name", "first_name", "pk")


class Person(models.Model):
    """Someone in the organization. People need not have a login (`user`)."""

    employee_id = models.CharField(_("employee id"), max_length=64, unique=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"), unique=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=32, choices=Level.choices)
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        verbose_name=_("manager"),
    )
    org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("org unit"),
    )
    location = models.CharField(_("location"), max_length=120, blank=True)
    hire_date = models.DateField(_("hire date"))
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_type = models.CharField(
        _("exit type"), max_length=16, choices=ExitType.choices, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["last_name", "first_name", "pk"]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"]),
            models.Index(fields=["level"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exit_date__isnull=True)
                | models.Q(exit_date__gte=models.F("hire_date")),
                name="exit_not_before_hire",
            ),
            models.CheckConstraint(
                condition=~models.Q(pk=models.F("manager")),
                name="not_own_manager",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving keeps the reporting lines in step when the person is new or has
        moved to another manager (see ReportingLine)."""
        moved = self._state.adding or self.manager_id != getattr(self, "_saved_manager_id", None)
        with transaction.atomic():
            super().save(*args, **kwargs)
            if moved:
                ReportingLine.objects.attach(self)
        self._saved_manager_id = self.manager_id

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        with transaction.atomic():
            ReportingLine.objects.detach_below(self)
            return super().delete(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_active(self) -> bool:
        return self.exit_date is None or self.exit_date > timezone.localdate()

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> "Person":  # type: ignore[override]
        person = super().from_db(*args, **kwargs)
        person._saved_manager_id = person.__dict__.get("manager_id")
        return person

    def management_chain(self) -> list["Person"]:
        """Managers from the direct one upwards, in two queries at any depth."""
        depths = dict(
            ReportingLine.objects.filter(person_id=self.pk, depth__gt=0).values_list(
                "manager_id", "depth"
            )
        )
        managers = Person.objects.select_related("org_unit").in_bulk(list(depths))
        return sorted(managers.values(), key=lambda manager: depths[manager.pk])

    def manager_ids_above(self) -> set[int]:
        """Ids of everyone above this person in the management chain."""
        return set(
            ReportingLine.objects.filter(person_id=self.pk, depth__gt=0).values_list(
                "manager_id", flat=True
            )
        )

    def is_managed_by(self, other: "Person") -> bool:
        """True when `other` is anywhere above this person in the management chain."""
        return ReportingLine.objects.filter(
            manager_id=other.pk, person_id=self.pk, depth__gt=0
        ).exists()

    def history_since(self, before: "Person | None", *, effective: date) -> list["JobChange"]:
        """Unsaved history entries for how this person differs from `before` (None for
        a new hire). Level or title changes on `effective`; exits on their exit date."""
        if before is None:
            entries = [
                JobChange(
                    person=self,
                    kind=ChangeKind.HIRE,
                    effective_date=self.hire_date,
                    title=self.title,
                    level=self.level,
                    org_unit_id=self.org_unit_id,
                )
            ]
            before_exit = None
        else:
            entries = []
            before_exit = before.exit_date
            kind = JobChange.kind_for(before.level, self.level, before.title, self.title)
            if kind is None and before.org_unit_id != self.org_unit_id:
                kind = ChangeKind.TRANSFER
            if kind is not None:
                entries.append(
                    JobChange(
                        person=self,
                        kind=kind,
                        effective_date=effective,
                        title=self.title,
                        level=self.level,
                        org_unit_id=self.org_unit_id,
                        previous_title=before.title,
                        previous_level=before.level,
                    )
                )
            if before_exit is not None and self.exit_date is None:
                entries.append(
                    JobChange(
                        person=self,
                        kind=ChangeKind.REHIRE,
                        effective_date=effective,
                        title=self.title,
                        level=self.level,
                        org_unit_id=self.org_unit_id,
                    )
                )
        if self.exit_date is not None and self.exit_date != before_exit:
            entries.append(
                JobChange(
                    person=self,
                    kind=ChangeKind.EXIT,
                    effective_date=self.exit_date,
                    title=self.title,
                    level=self.level,
                    org_unit_id=self.org_unit_id,
                    exit_type=self.exit_type,
                )
            )
        return entries


class ReportingLineQuerySet(models.QuerySet["ReportingLine"]):
    def attach(self, person: Person) -> None:
        """Re-link `person` and everyone below them under their current manager.
        The classic closure-table move: drop the links from the old managers above,
        add one from each new manager above to each person in the moved line."""
        self.get_or_create(manager_id=person.pk, person_id=person.pk, defaults={"depth": 0})
        line = self.filter(manager_id=person.pk).values("person_id")
        self.filter(person_id__in=line).exclude(manager_id__in=line).delete()
        if person.manager_id is None:
            return
        above = self.filter(person_id=person.manager_id)
        below = self.filter(manager_id=person.pk)
        self.bulk_create(
            self.model(
                manager_id=up.manager_id, person_id=down.person_id, depth=up.depth + 1 + down.depth
            )
            for up in above
            for down in below
        )

    def detach_below(self, person: Person) -> None:
        """Before `person` is deleted: their reports become tops of their own lines."""
        line = self.filter(manager_id=person.pk, depth__gt=0).values("person_id")
        self.filter(person_id__in=line).exclude(manager_id__in=line).delete()

    @transaction.atomic
    def rebuild(self) -> int:
        """Recompute every reporting line from the manager column, after bulk writes
        (import, demo) that bypass Person.save(). Returns the number of links."""
        managers: dict[int, int | None] = dict(Person.objects.values_list("pk", "manager_id"))
        links: list[tuple[int, int, int]] = []
        for pk in managers:
            links.append((pk, pk, 0))
            seen = {pk}
            manager, depth = managers[pk], 1
            while manager is not None and manager not in seen:
                links.append((manager, pk, depth))
                seen.add(manager)
                manager, depth = managers.get(manager), depth + 1
        links.sort()
        self.all().delete()
        table = ReportingLine._meta.db_table
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (manager_id, person_id, depth) VALUES (%s, %s, %s)",  # noqa: S608
                links,
            )
        return len(links)


class ReportingLine(models.Model):
    """`manager` is `depth` levels above `person` in the management chain (depth 0 is
    the person themself). Derived from Person.manager and kept in step by
    Person.save(); bulk writers call `ReportingLine.objects.rebuild()`. It makes
    "everyone below X" one indexed lookup at any size, for access checks and team
    aggregates alike."""

    manager = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="reporting_lines")
    depth = models.PositiveSmallIntegerField()

    objects = ReportingLineQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["manager", "person"], name="one_line_per_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} under {self.manager_id} at depth {self.depth}"


class ChangeKind(models.TextChoices):
    HIRE = "hire", _("Hire")
    PROMOTION = "promotion", _("Promotion")
    DEMOTION = "demotion", _("Move to a lower level")
    TITLE_CHANGE = "title_change", _("Title change")
    TRANSFER = "transfer", _("Transfer")
    EXIT = "exit", _("Exit")
    REHIRE = "rehire", _("Rehire")


class JobChangeQuerySet(models.QuerySet["JobChange"]):
    def promotions(self) -> "JobChangeQuerySet":
        return self.filter(kind=ChangeKind.PROMOTION)

    def exits(self) -> "JobChangeQuerySet":
        return self.filter(kind=ChangeKind.EXIT)


class JobChange(models.Model):
    """One event in a person's job history, effective on a date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="job_history")
    effective_date = models.DateField(_("effective date"))
    kind = models.CharField(_("kind"), max_length=16, choices=ChangeKind.choices)
    title = models.CharField(_("title"), max_length=200, blank=True)
    level = models.CharField(_("level"), max_length=32, choices=Level.choices, blank=True)
    previous_title = models.CharField(max_length=200, blank=True)
    previous_level = models.CharField(max_length=32, choices=Level.choices, blank=True)
    org_unit = models.ForeignKey(OrgUnit, null=True, blank=True, on_delete=models.SET_NULL)
    exit_type = models.CharField(max_length=16, choices=ExitType.choices, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = JobChangeQuerySet.as_manager()

    class Meta:
        ordering = ["person_id", "effective_date", "pk"]
        indexes = [models.Index(fields=["kind", "effective_date"])]

    def __str__(self) -> str:
        return f"{self.person} {self.get_kind_display()} {self.effective_date}"

    @staticmethod
    def kind_for(previous_level: str, level: str, previous_title: str, title: str) -> str | None:
        """What a change of level or title is, or None when nothing changed."""
        if previous_level and level and previous_level != level:
            up = Level.rank(level) > Level.rank(previous_level)
            return ChangeKind.PROMOTION if up else ChangeKind.DEMOTION
        if previous_title != title:
            return ChangeKind.TITLE_CHANGE
        return None


class ObjectiveStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ACHIEVED = "achieved", _("Achieved")
    RETIRED = "retired", _("Retired")


class Objective(models.Model):
    """A strategic objective of the organization; development goals align to one."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent objective"),
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("org unit")
    )
    owner = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("owner")
    )
    period = models.CharField(_("period"), max_length=40, blank=True, help_text=_("e.g. FY2027"))
    status = models.CharField(
        _("status"), max_length=16, choices=ObjectiveStatus.choices, default=ObjectiveStatus.ACTIVE
    )

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def ancestors(self) -> list["Objective"]:
        chain: list[Objective] = []
        seen = {self.pk}
        current = self.parent
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.parent
        return chain
