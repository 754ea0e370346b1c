"""Talent reviews: the list, creating one (admins), the review page with its steps,
the managers' rating page, the admin's calibration page, and the steps themselves
(start calibration, close)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.accounts.forms import place_refusal
from tandem.people.models import Person
from tandem.succession import access, forms, pipeline_access, reviews
from tandem.succession.models import Placement, ReviewStatus, TalentReview


def _place(error: ValidationError, form: forms.forms.Form) -> None:
    """A service's refusal on the form: each problem at its field, or the whole form."""
    if rest := place_refusal(error, form):
        form.add_error(None, rest)


@login_required
def review_list(request: HttpRequest) -> HttpResponse:
    """The app's landing page. Admins and executive viewers: every review. Managers:
    the reviews where they have people to rate, and those already closed (their
    people's grid). With links to critical roles, the pipeline and openings for those
    who may open them."""
    sees_reviews = access.sees_reviews(request.user)
    links = {
        "roles": pipeline_access.can_see_slates(request.user),
        "pipeline": pipeline_access.sees_pipeline(request.user),
        "openings": pipeline_access.manages_succession(request.user),
    }
    if not (sees_reviews or any(links.values())):
        raise Http404("No talent reviews for you.")
    visible = list(access.reviews_visible_to(request.user)) if sees_reviews else []
    to_rate: list[TalentReview] = []
    rater = access.rater_of(request.user)
    if rater is not None:
        to_rate = reviews.reviews_to_rate(rater)
    if not (access.can_run_reviews(request.user) or access.is_executive_viewer(request.user)):
        visible = [r for r in visible if r.status == ReviewStatus.CLOSED or r in to_rate]
    return render(
        request,
        "succession/review_list.html",
        {
            "reviews": visible,
            "to_rate": to_rate,
            "can_run": access.can_run_reviews(request.user),
            "sees_reviews": sees_reviews,
            "links": links,
        },
    )


@login_required
def review_create(request: HttpRequest) -> HttpResponse:
    access.require_review_runner(request.user)
    form = forms.ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        review = form.save(commit=False)
        review.created_by = request.user
        review.save()
        messages.success(request, _("Talent review created. Managers can now rate their people."))
        return redirect("succession:review-detail", pk=review.pk)
    return render(
        request,
        "succession/review_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = access.access_review(request.user, pk)
    rater = access.rater_of(request.user)
    mine = reviews.people_to_rate(review, rater) if rater is not None else None
    context = {
        "review": review,
        "can_run": access.can_run_reviews(request.user),
        "mine": mine.count() if mine is not None else 0,
        "mine_rated": (
            review.placements.filter(person__in=mine).count() if mine is not None else 0
        ),
    }
    if access.can_run_reviews(request.user):
        context["in_scope"] = reviews.in_scope(review).count()
        context["rated"] = review.placements.count()
    return render(request, "succession/review_detail.html", context)


def _rating_rows(
    review: TalentReview, people: list[Person], data: object = None
) -> list[tuple[Person, Placement | None, forms.RatingForm]]:
    placed = {p.person_id: p for p in review.placements.filter(person__in=people)}
    rows = []
    for person in people:
        placement = placed.get(person.pk)
        initial = (
            {
                "performance": placement.performance,
                "potential": placement.potential,
                "note": placement.note,
            }
            if placement
            else {}
        )
        form = forms.RatingForm(data, prefix=f"p{person.pk}", initial=initial)  # type: ignore[arg-type]
        rows.append((person, placement, form))
    return rows


@login_required
def review_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """A manager's people in scope, each with performance, potential and a note. The
    row's "Save" saves that person (with htmx: only that row comes back); "Save all
    ratings" saves every filled row, or none if one is wrong."""
    review = access.access_review(request.user, pk)
    rater = access.access_rating_page(request.user, review)
    people = list(reviews.people_to_rate(review, rater))
    if request.method != "POST":
        return render(
            request,
            "succession/review_rate.html",
            {
                "review": review,
                "rows": _rating_rows(review, people),
                "open": review.status == ReviewStatus.RATING,
            },
        )
    target = request.POST.get("save", "all")
    rows = _rating_rows(review, people, request.POST)
    if target != "all":
        rows = [row for row in rows if str(row[0].pk) == target]
        if not rows:
            raise Http404("Nobody to rate by that id.")
    else:
        rows = [row for row in rows if not row[2].is_blank()]
        if not rows:
            messages.info(request, _("Nothing to save: rate someone first."))
            return redirect("succession:review-rate", pk=review.pk)
    saved = _save_ratings(request, review, rater, rows)
    if request.htmx and target != "all":  # type: ignore[attr-defined]
        person, _placement, form = rows[0]
        placement = review.placements.filter(person=person).first()
        return render(
            request,
            "succession/review_rate_row.html",
            {
                "review": review,
                "person": person,
                "placement": placement,
                "form": form,
                "saved": saved,
                "open": True,
            },
            status=200 if saved else 400,
        )
    if saved:
        messages.success(
            request,
            _("Rating saved.") if target != "all" else _("%(n)d ratings saved.") % {"n": len(rows)},
        )
        return redirect("succession:review-rate", pk=review.pk)
    return render(
        request,
        "succession/review_rate.html",
        {"review": review, "rows": _rating_rows_with_errors(review, people, rows), "open": True},
        status=400,
    )


def _rating_rows_with_errors(
    review: TalentReview,
    people: list[Person],
    tried: list[tuple[Person, Placement | None, forms.RatingForm]],
) -> list[tuple[Person, Placement | None, forms.RatingForm]]:
    bound = {person.pk: form for person, _placement, form in tried}
    return [(p, pl, bound.get(p.pk, f)) for p, pl, f in _rating_rows(review, people)]


def _save_ratings(
    request: HttpRequest,
    review: TalentReview,
    rater: Person,
    rows: list[tuple[Person, Placement | None, forms.RatingForm]],
) -> bool:
    """All or nothing: a single invalid row saves none."""
    valid = [form.is_valid() for _person, _placement, form in rows]  # every row's errors
    if not all(valid):
        return False
    try:
        with transaction.atomic():
            for person, _placement, form in rows:
                try:
                    reviews.placement_rate(
                        review=review,
                        person=person,
                        rated_by=rater,
                        actor=request.user,
                        **form.cleaned_data,
                    )
                except ValidationError as error:
                    _place(error, form)
                    raise
    except ValidationError:
        return False
    return True


@login_required
def review_calibrate(request: HttpRequest, pk: int) -> HttpResponse:
    """The admin's calibration: the grid with everyone placed, and each placement's
    calibrated ratings with a note."""
    review = access.access_review(request.user, pk, write=True)
    placements = list(
        review.placements.select_related("person__org_unit", "rated_by").order_by(
            "person__last_name", "person__first_name", "pk"
        )
    )
    forms_by_placement: dict[int, forms.CalibrationForm] = {}
    status = 200
    if request.method == "POST":
        placement = access.access_placement(
            request.user, _int(request.POST.get("placement")), calibrate=True
        )
        if placement.review_id != review.pk:
            raise Http404("No such placement in this review.")
        form = forms.CalibrationForm(request.POST, prefix=f"c{placement.pk}")
        if form.is_valid():
            try:
                reviews.placement_calibrate(
                    placement=placement, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                _place(error, form)
            else:
                messages.success(
                    request, _("Calibration saved for %(name)s.") % {"name": placement.person}
                )
                return redirect("succession:review-calibrate", pk=review.pk)
        forms_by_placement[placement.pk] = form
        status = 400
    rows = [
        (
            placement,
            forms_by_placement.get(placement.pk)
            or forms.CalibrationForm(
                prefix=f"c{placement.pk}",
                initial={
                    "performance": placement.calibrated_performance,
                    "potential": placement.calibrated_potential,
                    "note": placement.calibration_note,
                },
            ),
        )
        for placement in placements
    ]
    return render(
        request,
        "succession/review_calibrate.html",
        {
            "review": review,
            "rows": rows,
            "grid": reviews.grid_for(review, request.user),
            "unrated": reviews.in_scope(review).exclude(placements__review=review).count(),
        },
        status=status,
    )


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise Http404("No such placement.") from None


def _step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    review = access.access_review(request.user, pk, write=True)
    try:
        if step == "calibrate":
            reviews.review_start_calibration(review=review, actor=request.user)
            messages.success(request, _("The review is calibrating: ratings are now closed."))
            return redirect("succession:review-calibrate", pk=review.pk)
        reviews.review_close(review=review, actor=request.user)
        messages.success(request, _("The review is closed. Its placements are now history."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("succession:review-detail", pk=review.pk)


@login_required
@require_POST
def review_start_calibration(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "calibrate")


@login_required
@require_POST
def review_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "close")


urlpatterns = [
    path("reviews/", review_list, name="review-list"),
    path("reviews/new/", review_create, name="review-create"),
    path("reviews/<int:pk>/", review_detail, name="review-detail"),
    path("reviews/<int:pk>/rate/", review_rate, name="review-rate"),
    path("reviews/<int:pk>/calibration/", review_calibrate, name="review-calibrate"),
    path(
        "reviews/<int:pk>/start-calibration/",
        review_start_calibration,
        name="review-start-calibration",
    ),
    path("reviews/<int:pk>/close/", review_close, name="review-close"),
]
