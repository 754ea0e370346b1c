from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from tandem.accounts.models import (
    ApiToken,
    AuditLog,
    CalendarFeed,
    LoginAttempt,
    TokenFailure,
    User,
    UserRole,
)


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [UserRoleInline]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "is_staff"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Preferences", {"fields": ["time_zone"]}),
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records that are evidence (audit log, login and token failures) are never edited
    by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_label", "action", "target_type", "target_id", "summary"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "target_id", "summary"]
    date_hierarchy = "at"


@admin.register(LoginAttempt)
class LoginAttemptAdmin(ReadOnlyAdmin):
    list_display = ["at", "username", "ip", "succeeded"]
    list_filter = ["succeeded"]
    search_fields = ["username", "ip"]


@admin.register(TokenFailure)
class TokenFailureAdmin(ReadOnlyAdmin):
    """Unknown links and tokens by address: what the token throttle counts."""

    list_display = ["at", "scope", "ip"]
    list_filter = ["scope"]
    search_fields = ["ip"]
    date_hierarchy = "at"


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "key_prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["key_prefix", "created_at", "last_used_at"]
    fields = [
        "user",
        "name",
        "key_prefix",
        "expires_at",
        "revoked_at",
        "created_at",
        "last_used_at",
    ]
    raw_id_fields = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are issued by their owner (page, API or `tandem createtoken`)


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Who has a feed and whether it is used. The URL's token is never stored, so it
    cannot be shown; an admin can only switch a feed off (delete it)."""

    list_display = ["user", "key_prefix", "created_at", "last_used_at"]
    search_fields = ["user__username", "user__email"]
    fields = readonly_fields = ("user", "key_prefix", "created_at", "last_used_at")
    raw_id_fields = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # made by its owner (account page or API)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
