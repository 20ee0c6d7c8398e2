"""The OpenAPI schema documents the errors the API really answers, on every operation that can answer them
(drf-spectacular documents only the success): 400 with the fields' messages, 401 and 403 where a token is
needed, 404 (another team's object, an unknown id or page), 429 over the rate. A postprocessing hook."""

ERROR_DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
FIELD_ERRORS = {
    "type": "object",
    "description": "Each field (or non_field_errors) with its messages.",
    "additionalProperties": {},
}
UNTHROTTLED = {"/api/v1/ping/"}  # a constant answer: no authentication, no rate


def _response(description: str, component: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}},
    }


def _describe_csv(responses: dict) -> None:
    """drf-spectacular gives the CSV renderer's media type the JSON schema of the rows; the answer is a CSV file."""
    for response in responses.values():
        content = response.get("content", {}) if isinstance(response, dict) else {}
        if "text/csv" in content:
            content["text/csv"] = {"schema": {"type": "string", "description": "CSV: a header row, then one row each."}}


# RFC 3339 `format: time` wants an offset ("09:00:00+08:00"); a shift's times are wall-clock times of the team's
# timezone ("09:00:00"), which is what DRF reads and writes.
LOCAL_TIME = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$"}


def _local_times(node) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node.update({**LOCAL_TIME, "description": node.get("description", "Local wall-clock time, HH:MM[:SS]")})
        for value in node.values():
            _local_times(value)
    elif isinstance(node, list):
        for value in node:
            _local_times(value)


def document_errors(result: dict, generator, request, public) -> dict:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", ERROR_DETAIL)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    _local_times(result)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if path in UNTHROTTLED:
                continue
            responses = operation["responses"]
            _describe_csv(responses)
            secured = any(requirement for requirement in operation.get("security", [{}]))
            errors = {
                "400": _response("The request is invalid: the answer names each field.", "FieldErrors"),
                "404": _response(
                    "Not found, or not yours to see (another team's objects are never confirmed).", "ErrorDetail"
                ),
                "429": _response("Too many requests: wait for Retry-After seconds.", "ErrorDetail"),
            }
            if secured:
                errors["401"] = _response("No valid token or session.", "ErrorDetail")
                errors["403"] = _response("Known, but not allowed to do this.", "ErrorDetail")
            # Answered by the web server before Django sees the request (gunicorn reads 4094 bytes of URL).
            errors["414"] = {
                "description": "The URL is longer than the web server reads.",
                "content": {"text/html": {"schema": {"type": "string"}}},
            }
            if "requestBody" in operation:
                errors["415"] = _response("The body is not in a media type this operation reads.", "ErrorDetail")
            for code, response in responses.items():
                if str(code).startswith("4") and isinstance(response, dict) and not response.get("content"):
                    # A 4xx an operation declares without a body (413, 409 ...) is DRF's {"detail": ...}.
                    response["content"] = _response("", "ErrorDetail")["content"]
                    if response.get("description") in (None, "", "No response body"):
                        response["description"] = "Refused: the detail says why."
            for code, response in errors.items():
                responses.setdefault(code, response)
    return result
