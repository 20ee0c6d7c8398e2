"""/api/v1/training/articles/ and /api/v1/training/article-categories/: the knowledge base.

Who reads what is training.access.visible_articles (through the knowledge selectors); who writes is decided
by the knowledge services (the team's authors). Anything not visible is a 404.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from teams.api.scoping import ReadableTeamField
from training.access import can_author, visible_articles
from training.knowledge import selectors, services
from training.knowledge.search import plain_text, query_words, snippet
from training.markdown import render_markdown
from training.models import Article, ArticleCategory, ArticleKind, ArticleStatus, ArticleVersion

# --------------------------------------------------------------------------------------------- categories


class ArticleCategorySerializer(serializers.ModelSerializer):
    team = ReadableTeamField()

    class Meta:
        model = ArticleCategory
        fields = ["id", "team", "name"]
        read_only_fields = ["id"]
        validators = []  # the service names the field of a duplicate name


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(summary="Knowledge-base categories of the teams you read"),
    create=extend_schema(summary="Add a category to a team (its supervisors, QA inspectors and managers)"),
    partial_update=extend_schema(summary="Rename a category"),
    destroy=extend_schema(summary="Delete a category; its articles stay, without a category"),
)
class ArticleCategoryViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ArticleCategorySerializer
    permission_classes = [permissions.IsAuthenticated]  # the services decide who may write
    filterset_fields = ["team"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return selectors.article_category_list(user=self.request.user).order_by("team_id", "name", "id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = services.article_category_create(
            team=data["team"], actor=self.request.user, name=data["name"]
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        category = serializer.instance
        if not can_author(self.request.user, category.team_id):
            raise exceptions.PermissionDenied("Only the team's authors change its categories.")
        if "team" in data and data["team"] != category.team:
            raise serializers.ValidationError({"team": ["A category stays in its team."]})
        serializer.instance = services.article_category_rename(
            category=category, actor=self.request.user, name=data.get("name", category.name)
        )

    def perform_destroy(self, instance):
        services.article_category_delete(category=instance, actor=self.request.user)


# ----------------------------------------------------------------------------------------------- articles


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class TagNamesField(serializers.Field):
    """Tags as a list of strings (read from the prefetched tags)."""

    def to_representation(self, tags):
        return [tag.name for tag in tags.all()]

    def to_internal_value(self, data):
        if not isinstance(data, list) or not all(isinstance(name, str) for name in data):
            raise serializers.ValidationError("Send the tags as a list of strings.")
        return data


class ArticleListSerializer(serializers.ModelSerializer):
    team_name = serializers.CharField(source="team.name", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True, allow_null=True, default=None)
    tags = TagNamesField(read_only=True)
    snippet = serializers.SerializerMethodField(help_text="Plain text around the first word of the query.")
    url = serializers.SerializerMethodField(help_text="The article's page.")

    class Meta:
        model = Article
        fields = [
            "id",
            "team",
            "team_name",
            "category",
            "category_name",
            "kind",
            "title",
            "status",
            "tags",
            "version",
            "source_case",
            "snippet",
            "url",
            "created_by",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_snippet(self, article) -> str:
        return snippet(plain_text(article.body), self.context.get("query_words", []))

    def get_url(self, article) -> str:
        request = self.context.get("request")
        url = article.get_absolute_url()
        return request.build_absolute_uri(url) if request else url


class ArticleSerializer(ArticleListSerializer):
    body_html = serializers.SerializerMethodField(help_text="The text as sanitised HTML.")

    class Meta(ArticleListSerializer.Meta):
        fields = [
            "id",
            "team",
            "team_name",
            "category",
            "category_name",
            "kind",
            "title",
            "body",
            "body_html",
            "status",
            "tags",
            "version",
            "source_case",
            "url",
            "created_by",
            "updated_by",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_body_html(self, article) -> str:
        return str(render_markdown(article.body))


@extend_schema_field(OpenApiTypes.INT)
class AuthoredCategoryField(serializers.PrimaryKeyRelatedField):
    """A category of a team the requester reads; the service checks it belongs to the article's team."""

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            return ArticleCategory.objects.none()
        return selectors.article_category_list(user=request.user)


class ArticleWriteSerializer(serializers.Serializer):
    team = ReadableTeamField(required=False, help_text="Required to create; an article stays in its team.")
    category = AuthoredCategoryField(required=False, allow_null=True, help_text="A category of the article's team.")
    kind = serializers.ChoiceField(choices=ArticleKind.choices, required=False)
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False, help_text="Markdown.")
    tags = serializers.ListField(
        child=serializers.CharField(max_length=services.TAG_MAX_LENGTH),
        max_length=services.MAX_TAGS,
        required=False,
        help_text="Tag names; on update the full list replaces the old one.",
    )
    status = serializers.ChoiceField(choices=ArticleStatus.choices, required=False)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Update only: the version you edited; if someone saved a newer one, nothing changes (400).",
    )


class ArticleQuerySerializer(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, help_text="Words to find (Chinese or English).")
    kind = serializers.ChoiceField(choices=ArticleKind.choices, required=False)
    category = serializers.IntegerField(required=False)
    tag = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=ArticleStatus.choices, required=False, help_text="Default: drafts and published, not archived."
    )
    team = serializers.IntegerField(required=False)


class ArticleVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ArticleVersion
        fields = ["version", "title", "body", "edited_by", "created_at"]
        read_only_fields = fields


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(
        summary="Knowledge-base articles you may read; with q, the best matches first",
        parameters=[ArticleQuerySerializer],
    ),
    retrieve=extend_schema(summary="One article (opening it records that you read it)"),
    create=extend_schema(
        summary="Write an article in a team you author for (a draft unless status says otherwise)",
        request=ArticleWriteSerializer,
        responses={201: ArticleSerializer},
    ),
    partial_update=extend_schema(
        summary="Change an article; a new title or text is a new version",
        request=ArticleWriteSerializer,
        responses={200: ArticleSerializer},
    ),
)
class ArticleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]  # visible_articles and the services decide the rest
    filter_backends: list = []  # the query parameters are read by list()
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_serializer_class(self):
        return ArticleListSerializer if self.action == "list" else ArticleSerializer

    def get_queryset(self):
        return (
            visible_articles(self.request.user)
            .select_related("team", "category", "created_by", "updated_by")
            .prefetch_related("tags")
        )

    def list(self, request):
        query = ArticleQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = selectors.ArticleFilters(**query.validated_data)
        articles = selectors.article_list(user=request.user, filters=filters)
        page = self.paginate_queryset(articles)
        context = {**self.get_serializer_context(), "query_words": query_words(filters.q)}
        return self.get_paginated_response(ArticleListSerializer(page, many=True, context=context).data)

    def retrieve(self, request, pk=None):
        article = self.get_object()
        services.article_mark_read(article=article, user=request.user)
        return Response(self.get_serializer(article).data)

    def _answer(self, article: Article, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=article.pk)).data, status=status_code)

    def create(self, request):
        payload = ArticleWriteSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        data.pop("version", None)
        team = data.pop("team", None)
        if team is None:
            raise exceptions.ValidationError({"team": ["Say which team the article belongs to."]})
        missing = {name: ["This field is required."] for name in ("title", "body") if name not in data}
        if missing:
            raise exceptions.ValidationError(missing)
        article = services.article_create(team=team, actor=request.user, **data)
        return self._answer(article, status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        article = self.get_object()
        payload = ArticleWriteSerializer(data=request.data, context=self.get_serializer_context(), partial=True)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        team = data.pop("team", None)
        if not can_author(request.user, article.team_id):
            raise exceptions.PermissionDenied("Only the team's supervisors, QA inspectors and managers edit it.")
        if team is not None and team.pk != article.team_id:
            raise exceptions.ValidationError({"team": ["An article stays in its team."]})
        base_version = data.pop("version", None)
        article = services.article_update(article=article, actor=request.user, base_version=base_version, **data)
        return self._answer(article)

    @extend_schema(
        summary="Every saved version of the article, newest first (the team's authors)",
        responses={200: ArticleVersionSerializer(many=True)},
    )
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        article = self.get_object()
        if not selectors.can_see_history(request.user, article):
            raise exceptions.PermissionDenied("Only the team's authors read an article's history.")
        page = self.paginate_queryset(selectors.article_versions(article=article))
        return self.get_paginated_response(ArticleVersionSerializer(page, many=True).data)
