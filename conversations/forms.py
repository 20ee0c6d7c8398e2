from django import forms
from django.utils.translation import gettext_lazy as _

from conversations.importers.decoding import ENCODINGS
from conversations.models import Category, ImportFormat
from core.forms import BootstrapFormMixin
from teams import policy
from teams.models import Team


class ImportUploadForm(BootstrapFormMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), empty_label=None)
    format = forms.ChoiceField(label=_("Format"), choices=ImportFormat.choices)
    source = forms.SlugField(
        label=_("Source"), max_length=60, initial="shopchat", help_text=_("The chat system the file comes from.")
    )
    encoding = forms.ChoiceField(
        label=_("Encoding"),
        choices=[(name, name.upper()) for name in ENCODINGS],
        help_text=_("As the file was saved. Nothing is guessed: a file that does not decode is rejected."),
    )
    default_category = forms.ChoiceField(
        label=_("Category when the file has none"), choices=Category.choices, initial=Category.AFTER_SALES
    )
    file = forms.FileField(label=_("File"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = policy.managed_teams(user).order_by("name")
