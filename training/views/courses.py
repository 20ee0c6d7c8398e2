"""Course pages: my learning, courses (list, detail, authoring), assigning, an assignment with its materials,
periodic assessments and the supervisor's training overview. Thin: forms in, one service or selector call."""

import os

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.service_errors import add_errors_to_form, flash_errors
from teams import policy
from teams.models import Position, Team
from training import access, courses, selectors_courses
from training.courses.forms import (
    AssessmentForm,
    AssignForm,
    CourseForm,
    MaterialFormSet,
    materials_from,
    materials_initial,
)
from training.models import Assignment, Course, Material

PAGE_SIZE = 50


def _render(request, template: str, context: dict):
    return render(request, template, context)


def _quiz_url(course: Course) -> str | None:
    """The quiz page, if the quizzes area serves one."""
    try:
        return reverse("training-quiz-take", args=[course.pk])
    except NoReverseMatch:
        return None


# --------------------------------------------------------------------------------------- my learning


def _learning_page(request, person):
    context = selectors_courses.learning_of(viewer=request.user, person=person)
    authored = access.authored_team_ids(request.user)
    context.update(
        {
            "is_self": person.pk == request.user.pk,
            "is_author": bool(authored),
            "can_assign": bool(authored) and person.pk != request.user.pk,
        }
    )
    return _render(request, "training/home.html", context)


@login_required
@require_safe
def home(request):
    """My learning: open assignments with progress and due dates, the completed ones, suggestions from QA."""
    return _learning_page(request, request.user)


@login_required
@require_safe
def person_learning(request, user_id: int):
    """A supervisor's view of one person's learning (and assigning a suggested course to them)."""
    person = selectors_courses.person_visible(viewer=request.user, person_id=user_id)
    if person is None:
        raise Http404
    if person.pk == request.user.pk:
        return redirect("training-home")
    return _learning_page(request, person)


# ------------------------------------------------------------------------------------------- courses


@login_required
@require_safe
def course_list(request):
    found = selectors_courses.course_list(user=request.user)
    team_id = request.GET.get("team", "")
    if team_id.isdigit():
        found = found.filter(team_id=int(team_id))
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    authored = access.authored_team_ids(request.user)
    context = {
        "page": page,
        "team_id": team_id if team_id.isdigit() else "",
        "teams": policy.readable_teams(request.user).order_by("name"),
        "authored": authored,
    }
    return _render(request, "training/course_list.html", context)


@login_required
@require_safe
def course_detail(request, course_id: int):
    try:
        course = selectors_courses.course_detail(user=request.user, course_id=course_id)
    except Course.DoesNotExist as missing:
        raise Http404 from missing
    my_assignment = (
        Assignment.objects.filter(course=course, user=request.user).order_by("completed_at", "due_date").first()
    )
    context = {
        "course": course,
        "materials": list(course.materials.all()),
        "criteria": list(course.qa_criteria.all()),
        "audience_labels": [Position(code).label for code in course.audience_positions if code in Position.values],
        "can_author": access.can_author(request.user, course.team_id),
        "can_assign": bool(
            course.is_published
            and selectors_courses.course_audience_team_ids(course) & access.authored_team_ids(request.user)
        ),
        "my_assignment": my_assignment,
        "quiz_url": _quiz_url(course) if course.has_quiz else None,
    }
    return _render(request, "training/course_detail.html", context)


def _row_errors(formset, error: ValidationError) -> ValidationError | None:
    """Put `materials[i].field` errors on the i-th row shown; return what is left for the page."""
    rows = [form for form in formset.ordered_forms if form.cleaned_data]
    rest = {}
    for key, field_messages in error.message_dict.items():
        if key.startswith("materials[") and "]." in key:
            index, field = key[len("materials[") :].split("].", 1)
            if index.isdigit() and int(index) < len(rows):
                form = rows[int(index)]
                for message in field_messages:
                    form.add_error(field if field in form.fields else None, message)
                continue
        rest[key] = field_messages
    return ValidationError(rest) if rest else None


def _build(request, *, course: Course | None = None):
    """One view for new and existing courses."""
    if request.method == "POST":
        form = CourseForm(request.POST, user=request.user, course=course, initial=_course_initial(course))
        formset = MaterialFormSet(
            request.POST, request.FILES, initial=materials_initial(course) if course else None, prefix="materials"
        )
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            fields = {
                "title": data["title"],
                "description": data["description"],
                "audience_positions": data["audience_positions"],
                "qa_criteria": data["qa_criteria"],
                "materials": materials_from(formset),
            }
            if data["estimated_minutes"] is not None:
                fields["estimated_minutes"] = data["estimated_minutes"]
            try:
                if course is None:
                    saved = courses.course_create(team=data["team"], actor=request.user, **fields)
                else:
                    saved = courses.course_update(course=course, actor=request.user, **fields)
            except ValidationError as error:
                rest = _row_errors(formset, error)
                if rest is not None:
                    add_errors_to_form(form, rest)
            else:
                messages.success(request, _("Course saved."))
                return redirect("training-course-detail", course_id=saved.pk)
    else:
        form = CourseForm(user=request.user, course=course, initial=_course_initial(course))
        formset = MaterialFormSet(
            initial=materials_initial(course) if course else [{"kind": "text", "estimated_minutes": 10, "ORDER": 1}],
            prefix="materials",
        )
    return _render(request, "training/course_form.html", {"form": form, "formset": formset, "course": course})


def _course_initial(course: Course | None) -> dict:
    if course is None:
        return {}
    return {
        "team": course.team_id,
        "title": course.title,
        "description": course.description,
        "audience_positions": course.audience_positions,
        "estimated_minutes": course.estimated_minutes,
        "qa_criteria": list(course.qa_criteria.values_list("pk", flat=True)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def course_create(request):
    if not access.authored_team_ids(request.user):
        raise PermissionDenied(_("Courses are written by supervisors, QA inspectors and managers."))
    return _build(request)


def _visible_course(request, course_id: int) -> Course:
    return get_object_or_404(access.visible_courses(request.user).select_related("team"), pk=course_id)


@login_required
@require_http_methods(["GET", "POST"])
def course_edit(request, course_id: int):
    course = _visible_course(request, course_id)
    if not access.can_author(request.user, course.team_id):
        raise PermissionDenied
    return _build(request, course=course)


@login_required
@require_POST
def course_publish(request, course_id: int):
    course = _visible_course(request, course_id)
    published = request.POST.get("intent") != "unpublish"
    try:
        courses.course_set_published(course=course, actor=request.user, published=published)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        messages.success(request, _("Course published.") if published else _("Course taken back to draft."))
    return redirect("training-course-detail", course_id=course.pk)


@login_required
def material_file(request, course_id: int, material_id: int):
    """A material's file, only to those who see the course; a download, so nothing uploaded runs in the page."""
    course = _visible_course(request, course_id)
    material = get_object_or_404(Material, pk=material_id, course=course)
    if not material.attachment:
        raise Http404
    return FileResponse(
        material.attachment.open("rb"), as_attachment=True, filename=os.path.basename(material.attachment.name)
    )


# --------------------------------------------------------------------------------------- assignments


@login_required
@require_http_methods(["GET", "POST"])
def course_assign(request, course_id: int):
    """Assign a course to people and whole teams of the audience the user supervises."""
    course = _visible_course(request, course_id)
    team_ids = selectors_courses.course_audience_team_ids(course) & access.authored_team_ids(request.user)
    if not team_ids:
        raise PermissionDenied(_("You supervise no team this course is meant for."))
    members = selectors_courses.audience_memberships(course, team_ids=team_ids)
    people = get_user_model().objects.filter(pk__in=members.values("user_id")).order_by("username")
    initial = {"users": request.GET.getlist("users")} if request.method == "GET" else None
    today = courses.local_today(course.team.timezone)
    form = AssignForm(request.POST or None, initial=initial, team_ids=team_ids, people=people, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            created = courses.assignments_create(
                course=course,
                actor=request.user,
                due_date=form.cleaned_data["due_date"],
                users=form.cleaned_data["users"],
                teams=form.cleaned_data["teams"],
            )
        except ValidationError as error:
            add_errors_to_form(form, error)
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            if created:
                messages.success(request, _("%(count)s people assigned.") % {"count": len(created)})
            else:
                messages.info(request, _("Everyone chosen already has this course for that due date."))
            return redirect("training-course-detail", course_id=course.pk)
    return _render(request, "training/course_assign.html", {"course": course, "form": form})


@login_required
def assignment_detail(request, assignment_id: int):
    """The course to take: materials in order, mark each done, then the quiz (if the course has one)."""
    try:
        assignment = selectors_courses.assignment_detail(user=request.user, assignment_id=assignment_id)
    except Assignment.DoesNotExist as missing:
        raise Http404 from missing
    context = {
        "assignment": assignment,
        "course": assignment.course,
        "is_assignee": assignment.user_id == request.user.pk,
        "quiz_url": _quiz_url(assignment.course) if assignment.has_quiz else None,
    }
    return _render(request, "training/assignment_detail.html", context)


@login_required
@require_POST
def material_done(request, assignment_id: int, material_id: int):
    assignment = get_object_or_404(access.visible_assignments(request.user), pk=assignment_id)
    material = get_object_or_404(Material, pk=material_id, course_id=assignment.course_id)
    try:
        assignment = courses.material_mark_done(assignment=assignment, material=material, actor=request.user)
    except ValidationError as error:
        flash_errors(request, error)
    else:
        if assignment.completed_at is not None:
            messages.success(request, _("Course completed. Well done!"))
    return redirect(f"{reverse('training-assignment-detail', args=[assignment.pk])}#material-{material.pk}")


# --------------------------------------------------------------------------------------- assessments


def _require_author(user) -> None:
    if not access.authored_team_ids(user):
        raise PermissionDenied(_("Periodic assessments are set by supervisors, QA inspectors and managers."))


@login_required
@require_http_methods(["GET", "POST"])
def assessments(request):
    """定期考核: the periodic assessments of the teams the user authors for, and a form to add one."""
    _require_author(request.user)
    form = AssessmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            courses.assessment_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Periodic assessment saved: the next period's assignments follow."))
            return redirect("training-assessments")
    schedules = selectors_courses.assessment_list(user=request.user)
    return _render(request, "training/course_assessments.html", {"schedules": schedules, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, schedule_id: int):
    schedule = get_object_or_404(selectors_courses.assessment_list(user=request.user), pk=schedule_id)
    if request.method == "POST" and request.POST.get("intent") == "delete":
        courses.assessment_delete(schedule=schedule, actor=request.user)
        messages.success(request, _("Periodic assessment stopped; its assignments stay."))
        return redirect("training-assessments")
    form = AssessmentForm(request.POST or None, instance=schedule, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("frequency", "due_days", "is_active")}
        try:
            courses.assessment_update(schedule=schedule, actor=request.user, **fields)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, _("Periodic assessment saved."))
            return redirect("training-assessments")
    return _render(request, "training/course_assessment_form.html", {"schedule": schedule, "form": form})


# ------------------------------------------------------------------------------------------ overview


@login_required
@require_safe
def overview(request):
    """The supervisor's training overview of one team: per person completion and best quiz scores."""
    supervised = access.authored_team_ids(request.user)
    if not supervised:
        raise PermissionDenied(_("The training overview is for supervisors, QA inspectors and managers."))
    teams = list(Team.objects.filter(id__in=supervised).order_by("name"))
    team_id = request.GET.get("team", "")
    team = next((t for t in teams if str(t.pk) == team_id), None) if team_id else teams[0]
    if team is None:
        raise Http404
    course = None
    course_id = request.GET.get("course", "")
    if course_id.isdigit():
        course = get_object_or_404(access.visible_courses(request.user), pk=int(course_id))
    context = selectors_courses.training_overview(team=team, course=course)
    assigned_courses = Course.objects.filter(assignments__team=team).distinct().order_by("title")
    context.update({"teams": teams, "course": course, "assigned_courses": assigned_courses})
    return _render(request, "training/overview.html", context)
