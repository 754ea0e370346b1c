"""Confidential text encrypted at rest, and the key rotation that keeps it readable.

`EncryptedTextField` stores a MultiFernet token made with `TANDEM_ENCRYPTION_KEYS`
(newest key first): Python sees a plain `str`, the database only ciphertext. Every key
in the list decrypts, so adding a new key in front changes nothing for readers, and
`tandem rotate-keys` (`rotate_encrypted_values()`) then re-encrypts the stored values
under it while the app keeps running. Once that reports nothing left under an old key,
the old key can be dropped from the list.

Ciphertext is randomized, so the database cannot compare it: the only lookups allowed
are `isnull` and `exact` with the empty string (which is stored as is, unencrypted).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError
from django.db import models, transaction
from django.db.models.expressions import ExpressionWrapper
from django.db.models.lookups import Exact, IsNull

from tandem.lib import crypto


class DecryptionError(ValueError):
    """A stored value that none of the configured keys opens."""


@lru_cache(maxsize=8)
def _cipher(keys: tuple[str, ...]) -> MultiFernet:
    return crypto.cipher(keys)


def _keys() -> tuple[str, ...]:
    return tuple(settings.TANDEM_ENCRYPTION_KEYS)


class EncryptedExact(Exact):
    """`field=""` only: any other value would be compared with randomized ciphertext
    and silently match nothing."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs not in ("", None):
            raise FieldError(
                f"{_label(lhs)} is encrypted: it can only be compared with the empty string "
                "or filtered with __isnull, not searched for a value."
            )
        super().__init__(lhs, rhs)


def _label(lhs: Any) -> str:
    target = getattr(lhs, "target", None) or getattr(lhs, "output_field", None)
    model = getattr(target, "model", None)
    name = getattr(target, "name", "?")
    return f"{model._meta.label}.{name}" if model is not None else name


class EncryptedTextField(models.TextField):
    """Text encrypted at rest with the keys in `TANDEM_ENCRYPTION_KEYS`.

    Empty text is stored empty (a blank field needs no keys). A stored value that no
    configured key opens raises `DecryptionError` on load, never returns garbage."""

    description = "Text encrypted at rest"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Never in an export: `dumpdata` and every other serializer leave it out, as
        # they would otherwise write the decrypted text.
        kwargs["serialize"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("serialize", None)
        return name, path, args, kwargs

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        value = super().get_db_prep_value(value, connection, prepared)
        if value is None or value == "":
            return value
        return _cipher(_keys()).encrypt(str(value).encode()).decode()

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return _cipher(_keys()).decrypt(value.encode()).decode()
        except InvalidToken:
            raise DecryptionError(
                f"{self.model._meta.label}.{self.name} holds a value that no key in "
                "TANDEM_ENCRYPTION_KEYS can decrypt: was the key that wrote it removed "
                "from the list?"
            ) from None

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return IsNull
        if lookup_name == "exact":
            return EncryptedExact
        raise FieldError(
            f"{self.model._meta.label}.{self.name} is encrypted: __{lookup_name} cannot "
            "search its ciphertext. Only __isnull and comparing with the empty string work."
        )

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if self.unique or getattr(self, "db_index", False) or self.primary_key:
            errors.append(
                checks.Error(
                    "An EncryptedTextField cannot be unique, indexed or a primary key: "
                    "its ciphertext is randomized.",
                    obj=self,
                    id="tandem.E010",
                )
            )
        return errors


def encrypted_fields(apps: Apps = global_apps) -> list[tuple[type[models.Model], list[str]]]:
    """Every concrete model with encrypted columns of its own, and those columns' names.

    Found from the app registry rather than recorded when a field is created, so the
    historical models that migrations build (and test models in isolated registries)
    never join the list."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        names = [
            f.name for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)
        ]
        if names:
            found.append((model, names))
    return sorted(found, key=lambda entry: entry[0]._meta.label)


@dataclass
class FieldReport:
    """Counts for one model's encrypted columns (a row counts once per non-empty value)."""

    label: str
    values: int = 0  # non-empty values seen
    current: int = 0  # already under the newest key
    rotated: int = 0  # re-encrypted by this run (or, with check, that would be)
    unreadable: list[str] = field(default_factory=list)  # "pk=… field" no key opens


@dataclass
class RotationReport:
    fields: list[FieldReport]

    @property
    def rotated(self) -> int:
        return sum(f.rotated for f in self.fields)

    @property
    def unreadable(self) -> int:
        return sum(len(f.unreadable) for f in self.fields)


def _raw_values(model: type[models.Model], names: Sequence[str]) -> models.QuerySet[Any]:
    """The rows with any non-empty encrypted value, annotated with the raw tokens (read
    as plain text: no decryption on the way out)."""
    aliases = {
        f"_raw_{name}": ExpressionWrapper(models.F(name), output_field=models.TextField())
        for name in names
    }
    non_empty = models.Q()
    for alias in aliases:
        non_empty |= models.Q(**{f"{alias}__gt": ""})
    return model._default_manager.annotate(**aliases).filter(non_empty).order_by("pk")


def rotate_encrypted_values(
    *,
    check: bool = False,
    batch_size: int = 500,
    fields: Iterable[tuple[type[models.Model], list[str]]] | None = None,
    progress: Callable[[str, int], Any] | None = None,
) -> RotationReport:
    """Re-encrypt every stored value that is not under the newest key yet.

    Each batch is read with its rows locked (`select_for_update`, on PostgreSQL) and
    written in its own transaction, so it is safe while the app runs: readers decrypt
    old and new tokens alike, and rows written meanwhile are under the newest key
    already, so a second run finds nothing to do. With `check`, only counts.
    `progress(label, total)` returns a bar with `update(n)` and `close()` (tqdm's)."""
    keys = _keys()
    every_key, newest = _cipher(keys), Fernet(keys[0].encode())
    reports = []
    for model, names in encrypted_fields() if fields is None else fields:
        report = FieldReport(label=f"{model._meta.label} ({', '.join(names)})")
        reports.append(report)
        rows = _raw_values(model, names)
        bar = progress(model._meta.label, rows.count()) if progress else None
        raw_columns = [f"_raw_{name}" for name in names]
        last_pk = None
        while True:
            with transaction.atomic():
                batch_rows = rows if last_pk is None else rows.filter(pk__gt=last_pk)
                if not check:
                    batch_rows = batch_rows.select_for_update()
                batch = list(batch_rows.values_list("pk", *raw_columns)[:batch_size])
                for pk, *tokens in batch:
                    changes = _rotate_row(report, pk, names, tokens, every_key, newest)
                    if changes and not check:
                        model._default_manager.filter(pk=pk).update(**changes)
            if not batch:
                break
            last_pk = batch[-1][0]
            if bar is not None:
                bar.update(len(batch))
        if bar is not None:
            bar.close()
    return RotationReport(fields=reports)


def _rotate_row(
    report: FieldReport,
    pk: Any,
    names: Sequence[str],
    tokens: Sequence[str | None],
    every_key: MultiFernet,
    newest: Fernet,
) -> dict[str, models.Value]:
    """The new tokens of one row's values that are not under the newest key, counted."""
    changes = {}
    for name, token in zip(names, tokens, strict=True):
        if not token:
            continue
        report.values += 1
        try:
            newest.decrypt(token.encode())
        except InvalidToken:
            pass
        else:
            report.current += 1
            continue
        try:
            rotated = every_key.rotate(token.encode()).decode()
        except InvalidToken:
            report.unreadable.append(f"pk={pk} {name}")
            continue
        report.rotated += 1
        # A plain-text value: the token must not be encrypted a second time on save.
        changes[name] = models.Value(rotated, output_field=models.TextField())
    return changes
