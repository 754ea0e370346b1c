"""`tandem backup` and `tandem restore`: the whole database as one compressed JSON file.

The file is Django's serialization of every model (as `dumpdata` writes it), gzip'd,
with one addition: `EncryptedTextField`s are left out of Django's serializers (they
would write the decrypted text), so each object carries its encrypted columns' raw
ciphertext under "ciphertext", and restore writes it back unchanged. The backup holds
no plain confidential text, and it needs the same `TANDEM_ENCRYPTION_KEYS` to be read
after a restore. Sessions are not backed up (everyone signs in again).

Restore loads into an empty, migrated database in one transaction: any error leaves
the database as it was. It refuses a backup whose ciphertext the configured keys
cannot open (keys are never in a backup: keep them apart). On PostgreSQL,
`pg_dump --format=custom` and `pg_restore` are faster and also keep what lives outside
Django's models; see the README.
"""

import gzip
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.expressions import ExpressionWrapper
from django.utils import timezone

from tandem.accounts.encryption import EncryptedTextField
from tandem.lib import crypto

FORMAT = "tandem-backup"
VERSION = 1
SKIPPED = frozenset({"contenttypes.contenttype", "auth.permission", "sessions.session"})
CHUNK = 2000

Progress = Callable[[int], Any]  # called with each chunk's number of rows


class RestoreRefused(Exception):
    pass


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete model, parents before the models that point at them."""
    chosen = [
        m
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in SKIPPED
    ]
    app_list: dict[Any, list[type[models.Model]]] = {}
    for model in chosen:
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    return serializers.sort_dependencies(app_list.items(), allow_cycles=True)


def _encrypted(model: type[models.Model]) -> list[str]:
    return [
        f.attname for f in model._meta.local_concrete_fields if isinstance(f, EncryptedTextField)
    ]


def row_count() -> int:
    return sum(m._default_manager.count() for m in backed_up_models())


def _objects(progress: Progress | None) -> Iterator[dict[str, Any]]:
    serializer = serializers.get_serializer("python")
    for model in backed_up_models():
        secret = _encrypted(model)
        # Read the ciphertext as plain text: no decryption on the way out.
        raw = {
            f"_raw_{name}": ExpressionWrapper(models.F(name), output_field=models.TextField())
            for name in secret
        }
        rows = model._default_manager.annotate(**raw).order_by("pk")
        chunk: list[models.Model] = []
        for obj in rows.iterator(chunk_size=CHUNK):
            chunk.append(obj)
            if len(chunk) == CHUNK:
                yield from _serialized(serializer, chunk, secret)
                if progress:
                    progress(len(chunk))
                chunk = []
        if chunk:
            yield from _serialized(serializer, chunk, secret)
            if progress:
                progress(len(chunk))


def _serialized(
    serializer: Any, chunk: list[models.Model], secret: list[str]
) -> Iterator[dict[str, Any]]:
    data = serializer().serialize(chunk, use_natural_foreign_keys=True)
    for obj, item in zip(chunk, data, strict=True):
        if secret:
            item["ciphertext"] = {name: getattr(obj, f"_raw_{name}") for name in secret}
        yield item


def backup_write(stream: IO[bytes], *, progress: Progress | None = None) -> int:
    """Write the gzip'd backup to a binary stream; returns the number of objects.
    Read in one transaction, so the backup is one consistent snapshot."""
    count = 0
    with transaction.atomic(), gzip.open(stream, "wt", encoding="utf-8") as out:
        header = {"format": FORMAT, "version": VERSION, "created_at": timezone.now()}
        out.write(json.dumps(header, cls=DjangoJSONEncoder)[:-1] + ', "objects": [\n')
        for item in _objects(progress):
            out.write(("" if count == 0 else ",\n") + json.dumps(item, cls=DjangoJSONEncoder))
            count += 1
        out.write("\n]}\n")
    return count


@dataclass
class Restored:
    objects: int
    models: int


def backup_read(stream: IO[bytes]) -> dict[str, Any]:
    try:
        with gzip.open(stream, "rt", encoding="utf-8") as source:
            document = json.load(source)
    except (OSError, EOFError, json.JSONDecodeError) as error:
        raise RestoreRefused(f"Not a Tandem backup (a gzip'd JSON file): {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise RestoreRefused("Not a Tandem backup: the file has no Tandem backup header.")
    if document.get("version") != VERSION:
        raise RestoreRefused(f"Backup version {document.get('version')} is not supported.")
    return document


def _require_empty() -> None:
    for label in ("accounts.User", "people.Person"):
        if apps.get_model(label)._default_manager.exists():
            raise RestoreRefused(
                f"The database is not empty ({label} has rows). Restore into a new, "
                "migrated database (`tandem migrate` on an empty one)."
            )


def _require_readable(items: list[dict[str, Any]]) -> None:
    """Refuse a backup whose confidential text the configured keys cannot open: it
    would restore, and then every note would fail to load. Every value is tried: after
    a partial key rotation, some may be under a key that was dropped since."""
    keys = settings.TANDEM_ENCRYPTION_KEYS
    for item in items:
        for token in (item.get("ciphertext") or {}).values():
            if not token:
                continue
            try:
                crypto.decrypt(token, keys)
            except (InvalidToken, ValueError, TypeError):
                raise RestoreRefused(
                    "The backup's confidential text was encrypted with a key that is not in "
                    "TANDEM_ENCRYPTION_KEYS. Configure the keys the backed-up installation "
                    "used (a trial keeps its key in var/development-encryption.key)."
                ) from None


def backup_restore(
    stream: IO[bytes],
    *,
    progress: Progress | None = None,
    total: Callable[[int], Any] | None = None,
) -> Restored:
    """Load a backup into an empty database, all or nothing. `total` is told the number
    of objects once the file is read (a progress bar's length)."""
    document = backup_read(stream)
    items = document.get("objects") or []
    if total:
        total(len(items))
    using = DEFAULT_DB_ALIAS
    touched: set[type[models.Model]] = set()
    _require_readable(items)
    with transaction.atomic(using=using):
        _require_empty()
        ciphertext: list[tuple[type[models.Model], Any, dict[str, str]]] = []
        loaded = serializers.deserialize(
            "python", items, using=using, handle_forward_references=True
        )
        deferred = []
        for count, (item, obj) in enumerate(zip(items, loaded, strict=True), start=1):
            obj.save(using=using)
            if obj.deferred_fields:
                deferred.append(obj)
            model = type(obj.object)
            touched.add(model)
            if item.get("ciphertext"):
                ciphertext.append((model, obj.object.pk, item["ciphertext"]))
            if progress and count % CHUNK == 0:
                progress(CHUNK)
        for obj in deferred:
            obj.save_deferred_fields(using=using)
        for model, pk, columns in ciphertext:
            # Stored as read: Value() with a plain text type is not encrypted again.
            model._default_manager.filter(pk=pk).update(
                **{
                    name: models.Value(token, output_field=models.TextField())
                    for name, token in columns.items()
                }
            )
        if progress:
            progress(len(items) % CHUNK)
        connection = connections[using]
        statements = connection.ops.sequence_reset_sql(no_style(), list(touched))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return Restored(objects=len(items), models=len(touched))
