"""The floor for bench/child_view.py: bare Starlette running the same query, nothing else.

No sign-in, no CSRF, no middleware, no response-model validation: what is left is the framework,
the database work and JSON encoding. The app's figure divided by this one is the overhead we own.
"""

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from app.cases import service
from app.config import get_settings
from app.db import make_engine, make_session_factory

factory = make_session_factory(make_engine(get_settings().database_url))


def child(request: Request) -> JSONResponse:
    with factory() as session:
        view = service.child_view(session=session, case_id=int(request.path_params["case_id"]))
        return JSONResponse(view.model_dump(mode="json"))


def home(_request: Request) -> JSONResponse:
    return JSONResponse({})


app = Starlette(routes=[Route("/", home), Route("/child/{case_id:int}", child)])
