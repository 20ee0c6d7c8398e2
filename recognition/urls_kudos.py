"""Pages of the recognition app: kudos and good cases."""

from django.urls import path

from recognition.views import kudos as views

urlpatterns = [
    path("recognition/kudos/", views.kudos_list, name="recognition-kudos-list"),
    path("recognition/kudos/new/", views.kudos_new, name="recognition-kudos-new"),
    path("recognition/good-cases/", views.good_case_list, name="recognition-good-case-list"),
    path("recognition/good-cases/new/", views.good_case_new, name="recognition-good-case-new"),
    path("recognition/good-cases/<int:good_case_id>/", views.good_case_detail, name="recognition-good-case-detail"),
]
