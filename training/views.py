from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.scope import staff_scope_role

from . import selectors, services
from .blocks import parse_options
from .canonical import canonical, localized
from .models import CoursePage, LessonPage, QuizAttempt, QuizQuestion


def page_or_cached_lesson(request, path: str):
    from wagtail.views import serve

    from .lesson_page import serve_cached

    return serve_cached(request) or serve(request, path)


@login_required
def my_learning(request):
    context = selectors.my_learning(
        user=request.user, page=request.GET.get("page", 1), done_page=request.GET.get("done", 1)
    )
    return render(request, "training/my_learning.html", context)


@login_required
@require_POST
def enrol(request, course_id: int):
    shown = get_object_or_404(CoursePage.objects.live(), pk=course_id)
    course = canonical(shown)
    try:
        enrollment, created = services.enrollment_create(user=request.user, course=course)
    except services.LearningError as exc:
        messages.error(request, exc.messages[0])
        return redirect(shown.url)
    if created:
        messages.success(
            request, _("You are enrolled. Your progress is saved as you go, on any device.")
        )
    first = LessonPage.objects.live().child_of(shown).order_by("path").first()
    target = localized(enrollment.last_lesson) if enrollment.last_lesson else first
    return redirect(target.url if target else shown.url)


@login_required
@require_POST
def checkpoint_answer(request, lesson_id: int):
    """The no-JavaScript path for checkpoint questions; the page's script uses the API."""
    shown = get_object_or_404(LessonPage.objects.live(), pk=lesson_id)
    lesson = canonical(shown)
    chosen = [int(v) for v in request.POST.getlist("chosen") if v.isdigit()]
    try:
        result = services.checkpoint_answer(
            user=request.user,
            lesson=lesson,
            checkpoint_id=request.POST.get("checkpoint", ""),
            chosen=chosen,
        )
    except services.LearningError as exc:
        messages.error(request, exc.messages[0])
    except PermissionDenied as exc:
        raise Http404 from exc
    else:
        if result.correct:
            messages.success(
                request, _("Correct.") + (" " + result.explanation if result.explanation else "")
            )
        else:
            messages.error(request, _("Not quite. Read the section again and try once more."))
    return redirect(shown.url + "#checkpoint-" + request.POST.get("checkpoint", ""))


@login_required
@require_POST
def quiz_start(request, course_id: int):
    course = canonical(get_object_or_404(CoursePage.objects.live(), pk=course_id))
    try:
        attempt = services.quiz_attempt_start(user=request.user, course=course)
    except services.LearningError as exc:
        messages.error(request, exc.messages[0])
        return redirect(course.url)
    except PermissionDenied:
        messages.error(request, _("Enrol in the course first."))
        return redirect(course.url)
    return redirect("training:quiz_attempt", attempt_id=attempt.pk)


@login_required
def quiz_attempt(request, attempt_id: int):
    attempt = get_object_or_404(
        QuizAttempt.objects.select_related("course"), pk=attempt_id, user=request.user
    )
    if request.method == "POST":
        answers = {
            str(qid): [int(v) for v in request.POST.getlist(f"q{qid}") if v.isdigit()]
            for qid in attempt.question_ids
        }
        try:
            result = services.quiz_attempt_submit(
                user=request.user, attempt_id=attempt.pk, answers=answers
            )
        except services.LearningError as exc:
            messages.error(request, exc.messages[0])
            return redirect("training:quiz_attempt", attempt_id=attempt.pk)
        if result.course_completed:
            messages.success(
                request, _("Course complete! Its learning hours have been added to your record.")
            )
        return redirect("training:quiz_attempt", attempt_id=attempt.pk)
    questions = selectors.attempt_questions(attempt=attempt)
    for q in questions:
        q["options"] = list(enumerate(q["options"]))
    if attempt.submitted_at:
        correct_by_id = {
            q.pk: parse_options(q.options)[1]
            for q in QuizQuestion.objects.filter(pk__in=attempt.question_ids)
        }
        for q in questions:
            chosen = set(attempt.answers.get(str(q["id"]), []))
            q["feedback"] = {
                "correct": chosen == correct_by_id[q["id"]],
                "correct_options": correct_by_id[q["id"]],
                "chosen": chosen,
                "explanation": q["explanation"],
            }
    response = render(
        request,
        "training/quiz_attempt.html",
        {"attempt": attempt, "course": attempt.course, "questions": questions},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def anomalies(request):
    """For HR offices: progress reports the server refused, by learners in their region."""
    if staff_scope_role(request.user) is None:
        raise Http404
    page = Paginator(selectors.anomalies_in_scope(user=request.user), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "training/anomalies.html", {"anomalies": page})
