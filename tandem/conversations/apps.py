from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConversationsConfig(AppConfig):
    name = "tandem.conversations"
    label = "conversations"
    verbose_name = _("Conversations")

    def ready(self) -> None:
        from tandem.conversations import hooks

        hooks.register()
