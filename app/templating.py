"""The one Jinja environment for web pages: our templates first, then GOV.UK Frontend's macros."""

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    select_autoescape,
)

from app.config import ROOT


def make_templates() -> Jinja2Templates:
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(ROOT / "templates"),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return Jinja2Templates(env=env)


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page with the signed-in user and their CSRF token always available."""
    viewer = getattr(request.state, "viewer", None)
    settings = request.app.state.settings
    library = getattr(request.app.state, "library", None)
    base = {
        # a stored code in the worker's words: code_label("legal_status", "cin")
        "code_label": library.code_label if library else (lambda _, code, *a: code or ""),
        "council_name": settings.council_name,
        "council_logo": settings.council_logo,
        "user": viewer,
        "csrf_token": request.state.csrf if viewer else request.state.anon_csrf,
        "cspNonce": request.state.csp_nonce,
        "idle_minutes": settings.session_idle_minutes,
    }
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request, name, {**base, **(context or {})}, status_code=status_code
    )
