"""/api/v1/training/ routes: knowledge."""

from rest_framework.routers import SimpleRouter

from training.api import knowledge

router = SimpleRouter(trailing_slash=True)
router.register("training/articles", knowledge.ArticleViewSet, basename="training-article")
router.register("training/article-categories", knowledge.ArticleCategoryViewSet, basename="training-article-category")

urlpatterns = router.urls
