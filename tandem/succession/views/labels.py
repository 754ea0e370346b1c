"""The organization's own label, colour and meaning for each box (program admins)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _

from tandem.lib import ninebox
from tandem.succession import access, forms
from tandem.succession.models import BoxLabel


def label_forms(data: object = None) -> list[tuple[int, forms.BoxLabelForm]]:
    """One form per box, as the grid draws them (high potential first)."""
    saved = {label.box: label for label in BoxLabel.objects.all()}
    result = []
    for row in ninebox.rows():
        for number in row:
            default = ninebox.DEFAULT_STYLES[number]
            instance = saved.get(number) or BoxLabel(
                box=number,
                label=default.label,
                colour=default.colour,
                description=default.description,
            )
            form = forms.BoxLabelForm(data, instance=instance, prefix=f"box{number}")  # type: ignore[arg-type]
            result.append((number, form))
    return result


@login_required
def box_labels(request: HttpRequest) -> HttpResponse:
    access.require_review_runner(request.user)
    if request.method == "POST":
        boxes = label_forms(request.POST)
        if all([form.is_valid() for _number, form in boxes]):
            with transaction.atomic():
                for _number, form in boxes:
                    form.save()
            messages.success(request, _("Box labels saved."))
            return redirect("succession:box-labels")
        return render(request, "succession/ninebox_labels.html", {"boxes": boxes}, status=400)
    return render(request, "succession/ninebox_labels.html", {"boxes": label_forms()})


urlpatterns = [path("box-labels/", box_labels, name="box-labels")]
