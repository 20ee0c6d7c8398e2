import pytest
from django.apps import apps
from django.contrib import admin

PROJECT_APPS = [
    "core",
    "teams",
    "conversations",
    "kpi",
    "notifications",
    "plans",
    "qa_reviews",
    "training",
    "recognition",
    "audit",
]


@pytest.mark.parametrize("app_label", PROJECT_APPS)
def test_every_model_is_in_the_admin(app_label):
    unregistered = [
        model.__name__ for model in apps.get_app_config(app_label).get_models() if not admin.site.is_registered(model)
    ]
    assert unregistered == []


def test_admin_pages_render_for_a_superuser(admin_client, team, agent):
    for url in (
        "/admin/",
        "/admin/teams/membership/",
        "/admin/teams/team/",
        "/admin/teams/user/",
        "/admin/teams/shift/",
    ):
        assert admin_client.get(url).status_code == 200, url
