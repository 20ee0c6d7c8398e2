import functools

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.cache import patch_cache_control
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from notifications.selectors import unread_count
from plans import selectors, services
from plans.api import serializers as s
from plans.models import PlanItem
from plans.today_cache import MY_DAY_CACHE_SECONDS, today_answer_cached


class _ServiceDecidesWrites(permissions.IsAuthenticated):
    """Reads are scoped by the selector (404 for others' rows); each write's service checks who may."""


@extend_schema(tags=["plans"])
@extend_schema_view(
    list=extend_schema(summary="Daily plans: an agent's own, or the teams' the caller supervises"),
    partial_update=extend_schema(summary="The agent edits their draft summary"),
)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.DailyPlanSerializer
    permission_classes = [_ServiceDecidesWrites]
    filterset_fields = ["date", "status", "team", "agent"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.plan_list(user=self.request.user)

    def perform_update(self, serializer):
        serializer.instance = services.plan_update(
            plan=serializer.instance, actor=self.request.user, data=serializer.validated_data
        )

    @extend_schema(
        summary="Add a work or learning item", request=s.PlanItemCreateSerializer, responses={201: s.PlanItemSerializer}
    )
    @action(detail=True, methods=["post"])
    def items(self, request, pk=None):
        payload = s.PlanItemCreateSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.plan_item_add(plan=self.get_object(), actor=request.user, **payload.validated_data)
        return Response(s.PlanItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Tick an item off (or back on)", request=s.PlanItemDoneSerializer, responses={200: s.PlanItemSerializer}
    )
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>\d+)/done")
    def item_done(self, request, pk=None, item_id=None):
        item = get_object_or_404(PlanItem, pk=item_id, plan=self.get_object())
        payload = s.PlanItemDoneSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        item = services.plan_item_set_done(item=item, actor=request.user, done=payload.validated_data["done"])
        return Response(s.PlanItemSerializer(item).data)

    @extend_schema(summary="Submit the day's summary (locks it)", request=None, responses={200: s.DailyPlanSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return Response(s.DailyPlanSerializer(services.plan_submit(plan=self.get_object(), actor=request.user)).data)

    @extend_schema(
        summary="Review a submitted plan, or send it back with a comment",
        request=s.PlanReviewSerializer,
        responses={200: s.DailyPlanSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        payload = s.PlanReviewSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        plan = services.plan_review(plan=self.get_object(), reviewer=request.user, **payload.validated_data)
        return Response(s.DailyPlanSerializer(plan).data)


@extend_schema(tags=["plans"])
@extend_schema_view(
    list=extend_schema(summary="5W2H tasks: the caller's own, and those of the teams they supervise"),
    create=extend_schema(summary="Give a 5W2H task to people of a team you supervise"),
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = s.TaskSerializer
    permission_classes = [_ServiceDecidesWrites]
    filterset_fields = ["team", "status"]

    def get_queryset(self):
        return selectors.task_list(user=self.request.user)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = services.task_create(creator=self.request.user, **data)

    @extend_schema(
        summary="Move a task to another status (the change is kept)",
        request=s.TaskStatusSerializer,
        responses={200: s.TaskSerializer},
    )
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None):
        payload = s.TaskStatusSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        task = services.task_status_set(
            task=self.get_object(), actor=request.user, status=payload.validated_data["status"]
        )
        return Response(s.TaskSerializer(task, context={"request": request}).data)


@extend_schema(
    tags=["me"],
    summary="My day: targets with live progress, plan, tasks due, unread notifications",
    responses={200: s.TodaySerializer},
)
class TodayView(APIView):
    """The answer is kept per person for MY_DAY_CACHE_SECONDS (plans.today_cache), and the response says so:
    a repeated request runs no query and hands back the bytes this person was just given."""

    def get(self, request):
        user = request.user
        body = today_answer_cached(
            user.pk, translation.get_language() or "", lambda: JSONRenderer().render(_today_answer(user))
        )
        response = HttpResponse(body, content_type="application/json")
        if MY_DAY_CACHE_SECONDS:
            patch_cache_control(response, private=True, max_age=MY_DAY_CACHE_SECONDS)
        return response


def _today_answer(user) -> dict:
    day = selectors.today_of(user=user)
    return _today_serializer().to_representation({**day, "unread_notifications": unread_count(user=user)})


@functools.cache
def _today_serializer() -> s.TodaySerializer:
    """One serializer for every answer: building a ModelSerializer's fields costs more than the rest of a
    representation, and to_representation keeps no state between calls."""
    return s.TodaySerializer(context={})
