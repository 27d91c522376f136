"""Every error is JSON with a stable `code` and a `message` in the caller's language."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError


def error_body(code: str, message: str, errors: list[dict] | None = None) -> dict:
    body = {"code": code, "message": message}
    if errors is not None:
        body["errors"] = errors
    return body


def register_error_handlers(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def on_validation(request, exc):
        errors = []
        for err in exc.errors:
            loc = [
                str(p)
                for p in err.get("loc", [])
                if p not in ("body", "query", "path", "form", "payload")
            ]
            errors.append({"field": ".".join(loc) or None, "message": err.get("msg", "")})
        return api.create_response(
            request,
            error_body("validation_error", _("Some fields are not valid."), errors),
            status=422,
        )

    @api.exception_handler(DjangoValidationError)
    def on_django_validation(request, exc):
        errors = []
        if hasattr(exc, "error_dict"):
            for field, field_errors in exc.message_dict.items():
                errors += [
                    {"field": None if field == "__all__" else field, "message": m}
                    for m in field_errors
                ]
        else:
            errors = [{"field": None, "message": m} for m in exc.messages]
        return api.create_response(
            request,
            error_body("validation_error", _("Some fields are not valid."), errors),
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def on_auth(request, exc):
        return api.create_response(
            request,
            error_body("not_authenticated", _("Sign in, or send a valid API token.")),
            status=401,
        )

    @api.exception_handler(PermissionDenied)
    def on_denied(request, exc):
        return api.create_response(
            request, error_body("permission_denied", _("You may not do this.")), status=403
        )

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(request, error_body("not_found", _("Not found.")), status=404)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc):
        code = {
            400: "bad_request",
            403: "permission_denied",
            404: "not_found",
            409: "conflict",
        }.get(exc.status_code, "error")
        return api.create_response(request, error_body(code, str(exc)), status=exc.status_code)
