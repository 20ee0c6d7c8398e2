"""Browser pages: conversations to read, and chat-log files to upload and follow."""

import csv

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from conversations import selectors, services
from conversations.forms import ImportUploadForm
from conversations.models import Conversation
from core.service_errors import add_errors_to_form
from teams import policy

PAGE_SIZE = 50


@login_required
@require_safe
def conversation_list(request):
    conversations = selectors.conversation_list(user=request.user)
    team_id = request.GET.get("team", "")
    if team_id.isdigit():
        conversations = conversations.filter(team_id=int(team_id))
    page = Paginator(conversations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "conversations/conversation_list.html", {"page": page, "team_id": team_id})


@login_required
def conversation_detail(request, conversation_id: int):
    try:
        conversation = selectors.conversation_detail(user=request.user, conversation_id=conversation_id)
    except Conversation.DoesNotExist as missing:
        raise Http404 from missing
    can_review = (
        policy.can_supervise_team(request.user, conversation.team_id) and conversation.agent_id != request.user.pk
    )
    return render(
        request, "conversations/conversation_detail.html", {"conversation": conversation, "can_review": can_review}
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if not policy.team_access(request.user).manages_any:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                job = services.import_job_create(
                    team=data["team"],
                    created_by=request.user,
                    upload=data["file"],
                    source=data["source"],
                    format_name=data["format"],
                    encoding=data["encoding"],
                    default_category=data["default_category"],
                )
            except ValidationError as error:
                add_errors_to_form(form, error)
            else:
                return redirect("import-detail", job_id=job.pk)
    jobs = selectors.import_job_list(user=request.user)[:50]
    context = {"form": form, "jobs": jobs, "can_upload": form.fields["team"].queryset.exists()}
    return render(request, "conversations/import_list.html", context)


@login_required
@require_safe
def import_detail(request, job_id: int):
    job = get_object_or_404(selectors.import_job_list(user=request.user), pk=job_id)
    template = "conversations/_import_progress.html" if request.htmx else "conversations/import_detail.html"
    return render(request, template, {"job": job})


@login_required
@require_safe
def import_errors_csv(request, job_id: int):
    job = get_object_or_404(selectors.import_job_list(user=request.user), pk=job_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    response.write("\ufeff")  # so spreadsheet programs read the UTF-8 correctly
    writer = csv.writer(response)
    writer.writerow(["line", "field", "message"])
    for error in job.errors:
        writer.writerow([error["line"], _cell(error["field"]), _cell(error["message"])])
    return response


def _cell(value: str) -> str:
    """Neutralise spreadsheet formulas: the report quotes what users uploaded."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
