"""Showing a service's ValidationError on a page: on the form's fields, or as flash messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_errors_to_form(form, error: ValidationError) -> None:
    """Each message lands on the field it names; anything else becomes a form-wide error."""
    for field, field_messages in error.message_dict.items():
        for message in field_messages:
            form.add_error(field if field in form.fields else None, message)


def flash_errors(request, error: ValidationError) -> None:
    for field_messages in error.message_dict.values():
        for message in field_messages:
            messages.error(request, message)
