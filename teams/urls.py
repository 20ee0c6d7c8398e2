from django.urls import path

from teams import views

urlpatterns = [
    path("", views.home, name="home"),
    path("teams/", views.team_list, name="team-list"),
    path("teams/<int:team_id>/", views.team_detail, name="team-detail"),
    path("teams/<int:team_id>/members/new/", views.member_add, name="team-member-add"),
    path("teams/<int:team_id>/members/<int:membership_id>/edit/", views.member_edit, name="team-member-edit"),
    path("teams/<int:team_id>/responsibilities/", views.responsibility_matrix, name="team-responsibilities"),
    path(
        "teams/<int:team_id>/responsibilities/new/",
        views.responsibility_edit,
        name="team-responsibility-new",
    ),
    path(
        "teams/<int:team_id>/responsibilities/<int:responsibility_id>/edit/",
        views.responsibility_edit,
        name="team-responsibility-edit",
    ),
    path(
        "teams/<int:team_id>/responsibilities/<int:responsibility_id>/delete/",
        views.responsibility_delete,
        name="team-responsibility-delete",
    ),
]
