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


def document_errors(result: dict, generator, request, public) -> dict:
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("ErrorDetail", ERROR_DETAIL)
    schemas.setdefault("FieldErrors", FIELD_ERRORS)
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            if path in UNTHROTTLED:
                continue
            responses = operation["responses"]
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
            for code, response in errors.items():
                responses.setdefault(code, response)
    return result
