"""Query filters that refuse what they cannot read, instead of quietly not filtering.

django-filter reads `?active=banana` as "no filter", `?team=0.5` as a team id, `?date_to=` as "no date" and
`?team=1&team=2` as team 2: a client with a typo gets every row and no hint. The schema says what each
filter takes (a boolean, an integer id, a date, one of the choices); this backend holds requests to it and
answers 400 naming each filter it refuses. Free-text filters (CharFilter, search, ordering) take anything.
"""

import re

import django_filters
from django.db import models
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import get_model_field
from rest_framework.exceptions import ValidationError

_INTEGER = re.compile(r"^-?[0-9]+$")
_DECIMAL = re.compile(r"^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")
_BOOLEANS = {"true", "false", "1", "0"}
_INTEGRAL_FIELDS = (models.IntegerField, models.AutoField, models.ForeignKey, models.OneToOneField)
_MANY_VALUES = (django_filters.MultipleChoiceFilter, django_filters.filters.BaseCSVFilter)


def _is_integral(filterset, name: str, query_filter) -> bool:
    model = getattr(filterset.queryset, "model", None) or filterset._meta.model
    field_name = query_filter.field_name or name
    field = get_model_field(model, field_name) if model is not None else None
    if field is None and field_name.endswith("_id"):
        field = get_model_field(model, field_name[: -len("_id")])
    return isinstance(field, _INTEGRAL_FIELDS)


def refused_filters(filterset, query_params) -> dict:
    """{filter name: [message]} for each value the filter cannot read (empty: all can be read)."""
    errors: dict = {}
    for name, query_filter in filterset.filters.items():
        values = query_params.getlist(name)
        if not values or isinstance(query_filter, _MANY_VALUES):
            continue
        if len(values) > 1:
            errors[name] = [_("Give this filter once.")]
            continue
        if isinstance(query_filter, django_filters.CharFilter):
            continue  # free text: an empty value matches everything, as the schema's plain string allows
        value = values[0]
        if value == "":
            errors[name] = [_("Give a value, or leave the filter out.")]
        elif isinstance(query_filter, django_filters.BooleanFilter):
            if value.lower() not in _BOOLEANS:
                errors[name] = [_("true or false.")]
        elif isinstance(query_filter, django_filters.NumberFilter):
            integral = _is_integral(filterset, name, query_filter)
            if not (_INTEGER if integral else _DECIMAL).match(value):
                errors[name] = [_("A whole number.") if integral else _("A number.")]
    return errors


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            errors = refused_filters(filterset, request.query_params)
            if errors:
                raise ValidationError(errors)
        return filterset
