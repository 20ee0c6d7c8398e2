from django.urls import path

from plans import views

urlpatterns = [
    path("plans/today/", views.my_day, name="plans-my-day"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plans-detail"),
    path("plans/<int:plan_id>/<slug:action>/", views.plan_action, name="plans-action"),
    path("plans/items/<int:item_id>/toggle/", views.plan_item_toggle, name="plans-item-toggle"),
    path("plans/team/<int:team_id>/", views.board, name="plans-board"),
    path("tasks/new/", views.task_new, name="task-new"),
    path("tasks/<int:task_id>/", views.task_detail, name="task-detail"),
]
