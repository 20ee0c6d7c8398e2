from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications import selectors, services


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list(user=request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notifications_read(request):
    ids = [int(value) for value in request.POST.getlist("id") if value.isdigit()]
    services.notifications_mark_read(user=request.user, notification_ids=ids or None)
    return redirect("notification-list")
