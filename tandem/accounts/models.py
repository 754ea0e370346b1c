import hashlib
import secrets
import zoneinfo
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles a user can hold; one user may hold several. "manager" is also derived
    from the org chart (anyone with direct reports), see `accounts.policy.roles_of`."""

    PROGRAM_ADMIN = "program_admin", _("Program admin")
    PARTICIPANT = "participant", _("Participant")
    MANAGER = "manager", _("Manager")
    COACH = "coach", _("Coach")
    MENTOR = "mentor", _("Mentor")
    EXECUTIVE_VIEWER = "executive_viewer", _("Executive viewer")


def _time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class User(AbstractUser):
    """A login. The person it belongs to (if any) is `user.person`, set on the Person."""

    email = models.EmailField(_("email address"), unique=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", choices=_time_zone_choices
    )

    class Meta:
        ordering = ["username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def has_role(self, role: str) -> bool:
        from tandem.accounts.policy import roles_of

        return role in roles_of(self)


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_role_per_user")
        ]
        ordering = ["user_id", "role"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"


TOKEN_PREFIX = "tdm_"  # noqa: S105  (a marker, not a secret)


def _hash_token(raw: str) -> str:
    # Tokens carry 256 bits of randomness, so a fast hash is enough: nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> "ApiTokenQuerySet":
        now = timezone.now()
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )

    def presented(self, raw: str) -> "ApiTokenQuerySet":
        """The usable token a caller presented (none for a malformed one), with its user."""
        if not raw.startswith(TOKEN_PREFIX):
            return self.none()
        return self.usable().select_related("user").filter(key_hash=_hash_token(raw))

    def authenticate(self, raw: str) -> User | None:
        """The active user a presented bearer token belongs to, or None."""
        token = self.presented(raw).first()
        if token is None:
            return None
        token.mark_used()
        return token.user


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the raw token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @classmethod
    def issue(cls, *, user: User, name: str, expires_at: Any = None) -> tuple["ApiToken", str]:
        """Create a token; returns it with the raw key, which is never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            key_prefix=raw[:12],
            key_hash=_hash_token(raw),
            expires_at=expires_at,
        )
        return token, raw

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])

    def mark_used(self) -> None:
        now = timezone.now()
        # Avoid a write on every request: remember use at most once a minute.
        if self.last_used_at is None or now - self.last_used_at > timedelta(minutes=1):
            ApiToken.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class AuditAction(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    IMPORT = "import", _("import")
    GRANT = "grant", _("grant")


class AuditLogQuerySet(models.QuerySet["AuditLog"]):
    def record(
        self,
        *,
        actor: Any,
        action: str,
        target: models.Model | None = None,
        target_type: str = "",
        target_id: str = "",
        subject_person_id: int | None = None,
        summary: str = "",
        ip: str | None = None,
    ) -> "AuditLog":
        """Append one entry. `actor` may be None (a job) or an anonymous user (a rater link)."""
        if target is not None:
            target_type = target._meta.label_lower
            target_id = str(target.pk)
        is_user = actor is not None and getattr(actor, "is_authenticated", False)
        return self.create(
            actor=actor if is_user else None,
            actor_label=str(actor) if is_user else "",
            action=action,
            target_type=target_type,
            target_id=target_id,
            subject_person_id=subject_person_id,
            summary=summary[:500],
            ip=ip,
        )

    def about_person(self, person_id: int) -> "AuditLogQuerySet":
        return self.filter(subject_person_id=person_id)


class AuditLog(models.Model):
    """Append-only record of reads and changes of confidential data."""

    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # Kept so the log still names who acted after their account is deleted.
    actor_label = models.CharField(max_length=200, blank=True)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    target_type = models.CharField(max_length=100, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    subject_person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    summary = models.CharField(max_length=500, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or '-'} {self.action} {self.target_type}"
        )


class LoginAttemptQuerySet(models.QuerySet["LoginAttempt"]):
    def recent_failures(self, *, since: Any) -> "LoginAttemptQuerySet":
        return self.filter(succeeded=False, at__gte=since)


class LoginAttempt(models.Model):
    """One try at logging in; failures drive the lockout in `accounts.throttle`."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    username = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    succeeded = models.BooleanField(default=False)

    objects = LoginAttemptQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.username} {'ok' if self.succeeded else 'failed'} {self.at:%Y-%m-%d %H:%M}"


FEED_TOKEN_PREFIX = "tcal_"  # noqa: S105  (a marker, not a secret)


class CalendarFeedQuerySet(models.QuerySet["CalendarFeed"]):
    def for_token(self, raw: str) -> "CalendarFeed | None":
        """The feed a presented URL token opens, if its user is still active."""
        if not raw.startswith(FEED_TOKEN_PREFIX) or len(raw) > 100:
            return None
        return (
            self.select_related("user")
            .filter(key_hash=_hash_token(raw), user__is_active=True)
            .first()
        )


class CalendarFeed(models.Model):
    """A user's secret calendar subscription URL (/calendar/<token>.ics).

    Calendar apps cannot sign in, so the token in the URL is the credential. Only its
    hash is stored: the URL is shown once, when it is made; resetting it makes a new
    one and the old URL stops working at once, and revoking deletes the feed."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="calendar_feed")
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["user_id"]

    def __str__(self) -> str:
        return f"{self.user} ({self.key_prefix}…)"

    @classmethod
    def reset_for(cls, user: User) -> tuple["CalendarFeed", str]:
        """Make the user's feed URL token, replacing any earlier one; returns the feed
        and the raw token, which is never stored."""
        raw = FEED_TOKEN_PREFIX + secrets.token_urlsafe(32)
        feed, _created = cls.objects.update_or_create(
            user=user,
            defaults={
                "key_prefix": raw[:12],
                "key_hash": _hash_token(raw),
                "created_at": timezone.now(),
                "last_used_at": None,
            },
        )
        return feed, raw

    def mark_used(self) -> None:
        now = timezone.now()
        # Calendar apps poll often: remember use at most once an hour.
        if self.last_used_at is None or now - self.last_used_at > timedelta(hours=1):
            CalendarFeed.objects.filter(pk=self.pk).update(last_used_at=now)
            self.last_used_at = now


class TokenScope(models.TextChoices):
    """The secrets a stranger could try to guess, one throttle each (accounts.throttle)."""

    API_TOKEN = "api_token", _("API token")
    RATER_LINK = "rater_link", _("360 rater link")
    PULSE_LINK = "pulse_link", _("pulse survey link")
    CALENDAR_FEED = "calendar_feed", _("calendar feed URL")


class TokenFailureQuerySet(models.QuerySet["TokenFailure"]):
    def recent(self, *, scope: str, ip: str, since: Any) -> "TokenFailureQuerySet":
        return self.filter(scope=scope, ip=ip, at__gte=since)


class TokenFailure(models.Model):
    """One presented token that opened nothing: an unknown rater or pulse link, calendar
    feed URL or API token. Enough of them from one address pause that address."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    scope = models.CharField(max_length=16, choices=TokenScope.choices)
    ip = models.GenericIPAddressField()

    objects = TokenFailureQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["scope", "ip", "at"])]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} {self.ip} {self.at:%Y-%m-%d %H:%M}"
