from django.urls import path

from conversations import views

urlpatterns = [
    path("conversations/", views.conversation_list, name="conversation-list"),
    path("conversations/<int:conversation_id>/", views.conversation_detail, name="conversation-detail"),
    path("imports/", views.import_list, name="import-list"),
    path("imports/<int:job_id>/", views.import_detail, name="import-detail"),
    path("imports/<int:job_id>/errors.csv", views.import_errors_csv, name="import-errors"),
]
