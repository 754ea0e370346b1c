"""`{% plan_panel panel %}`: renders a panel another app added to the plan page
(programs.panels) with the page's context plus the panel's own, so the panel's
template reads its values by name and still has the request and the CSRF token."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString

from tandem.programs.panels import Panel

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_panel(context: template.Context, panel: Panel) -> SafeString:
    with context.push(**panel.context):
        return get_template(panel.template).template.render(context)  # type: ignore[attr-defined]
