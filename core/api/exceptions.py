from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Services raise Django's ValidationError; answer it as a 400 that names the field. A number too large for
    the database (an id of 10**22 in a filter: OverflowError on SQLite, DataError on PostgreSQL) is the
    client's mistake too: 400, not a server error."""
    if isinstance(exc, OverflowError | DataError):
        exc = serializers.ValidationError({"non_field_errors": [_("A number in the request is out of range.")]})
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {
                ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
                for field, messages in exc.message_dict.items()
            }
        else:
            detail = {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail)
    if isinstance(exc, serializers.ValidationError) and isinstance(exc.detail, list):
        # A bare list (DRF's search filter refusing a NUL character, a serializer's validate() raising a
        # message): the answer is still an object of fields, as the schema says.
        exc = serializers.ValidationError({"non_field_errors": exc.detail})
    return drf_exception_handler(exc, context)
