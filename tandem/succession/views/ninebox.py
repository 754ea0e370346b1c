"""The 9-box of a review (filtered by org unit and level), a person's placement
history (their management chain and admins only) and the panel the grid opens when a
person is clicked. Executive viewers get counts only, and only for big enough slices."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from tandem.succession import access, forms, reviews


@login_required
def ninebox(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.access_review(request.user, pk)
    filters = forms.GridFilterForm(request.GET or None)
    chosen = reviews.Slice()
    status = 200
    if filters.is_bound:
        if filters.is_valid():
            chosen = reviews.Slice(filters.cleaned_data["unit"], filters.cleaned_data["level"])
        else:
            status = 400
    grid = reviews.grid_for(review, request.user, chosen)
    context = {"review": review, "grid": grid, "filters": filters}
    if request.htmx and request.htmx.target == "ninebox":  # type: ignore[attr-defined]
        return render(request, "succession/ninebox_grid.html", context, status=status)
    return render(request, "succession/ninebox.html", context, status=status)


@login_required
def placement_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole page, or (htmx, from the grid) just the panel."""
    person = access.access_placement_history(request.user, pk)
    via = "grid" if request.htmx else "page"  # type: ignore[attr-defined]
    entries = reviews.history_of(person, viewer=request.user, via=via)
    context = {"person": person, "entries": entries}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "succession/ninebox_person.html", context)
    return render(request, "succession/review_history.html", context)


urlpatterns = [
    path("reviews/<int:pk>/ninebox/", ninebox, name="ninebox"),
    path("people/<int:pk>/placements/", placement_history, name="placement-history"),
]
