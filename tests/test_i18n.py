"""The Simplified Chinese catalogue is complete and compiled."""

import re
from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|\{\w+\}")
CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_message_has_a_chinese_translation():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 100
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []


def test_placeholders_survive_translation():
    for entry in polib.pofile(str(CATALOGUE)):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        # Chinese has one form, written from the plural (an English singular may leave its count out).
        source = entry.msgid_plural or entry.msgid
        for translated in translations:
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(source)), entry.msgid


def test_compiled_catalogue_is_used():
    with translation.override("zh-hans"):
        assert translation.gettext("Responsibility matrix") == "职责矩阵"
        assert translation.gettext("Supervisor") == "主管"


def test_language_switch_changes_the_page_language(client, supervisor, team):
    client.force_login(supervisor)
    assert "Roster" in client.get(f"/teams/{team.pk}/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": f"/teams/{team.pk}/"})
    assert response.status_code == 302
    page = client.get(f"/teams/{team.pk}/").content.decode()
    assert "花名册" in page and 'lang="zh-hans"' in page


def test_browser_language_is_honoured(client, supervisor, team):
    client.force_login(supervisor)
    page = client.get(f"/teams/{team.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()
    assert "花名册" in page
