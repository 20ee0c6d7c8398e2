"""Pages of the training app: knowledge."""

from django.urls import path

from training.views import knowledge

urlpatterns = [
    path("training/kb/", knowledge.knowledge_base, name="training-kb"),
    path("training/kb/categories/", knowledge.categories, name="training-kb-categories"),
    path("training/kb/articles/new/", knowledge.article_create, name="training-article-create"),
    path("training/kb/articles/<int:article_id>/", knowledge.article_detail, name="training-article-detail"),
    path("training/kb/articles/<int:article_id>/edit/", knowledge.article_edit, name="training-article-edit"),
    path(
        "training/kb/articles/<int:article_id>/versions/", knowledge.article_versions, name="training-article-versions"
    ),
    path(
        "training/kb/articles/<int:article_id>/versions/<int:version>/",
        knowledge.article_version,
        name="training-article-version",
    ),
]
