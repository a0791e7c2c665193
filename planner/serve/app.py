"""The HTTP interface of `planner serve` (docs/serve.md states it for other tools).

Starlette (ASGI) serves it, run by uvicorn: a small, well-kept framework whose test client
drives the interface without a network, and that needs no JavaScript toolchain. Solves run
in a worker thread so that the server keeps answering while HiGHS works.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from planner.input.errors import InputError, Problem
from planner.serve.labels import LANGUAGES
from planner.serve.page import render_page
from planner.serve.session import Answer, ServeSession, Superseded
from planner.serve.settings import overrides_from_json, settings_from_query
from planner.views.reports.html import render_plan_html

STATIC = Path(__file__).parent / "static"
MAX_BODY_BYTES = 256 * 1024
SECURITY_HEADERS = {
    # Everything the page needs is served from here; the report frame runs no script.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; frame-src 'self'; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def _problems(error: InputError) -> JSONResponse:
    lines = [f"{error.source}: {problem}" for problem in error.problems]
    return JSONResponse({"status": "bad_input", "errors": lines}, status_code=422,
                        headers=SECURITY_HEADERS)


async def _json_body(request: Request) -> Any:
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        raise InputError("request", Problem("", f"expected a body under {MAX_BODY_BYTES} bytes"))
    try:
        document = json.loads(body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise InputError("request", Problem("", "expected a JSON body such as "
                                                '{"set": {"budget.total": 2000}}')) from None
    if not isinstance(document, dict):
        raise InputError("request", Problem("", "expected a JSON object"))
    unknown = set(document) - {"set", "lang"}
    if unknown:
        raise InputError("request", Problem(sorted(unknown)[0], "unknown key; expected `set`"))
    return document.get("set") or {}


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip(".-")[:60] or "instance"


def build_app(session: ServeSession, allowed_hosts: list[str] | None = None) -> Starlette:
    """The web application on one served instance."""

    async def page(request: Request) -> Response:
        return HTMLResponse(render_page(session, _lang(request)), headers=SECURITY_HEADERS)

    async def answer_for(settings: Any) -> Answer:
        return await run_in_threadpool(session.answer, settings)

    async def answer_of_body(request: Request) -> Answer | Response:
        """The answer to a request's setting, or the response that says why there is none
        (422 for bad input, 409 when a newer request superseded it)."""
        try:
            return await answer_for(await _json_body(request))
        except InputError as error:
            return _problems(error)
        except Superseded:
            return JSONResponse({"status": "superseded"}, status_code=409,
                                headers=SECURITY_HEADERS)

    async def api_solve(request: Request) -> Response:
        answer = await answer_of_body(request)
        if isinstance(answer, Response):
            return answer
        return JSONResponse(answer.to_document(), headers=SECURITY_HEADERS)

    async def api_state(_request: Request) -> Response:
        return JSONResponse({"solving": session.busy}, headers=SECURITY_HEADERS)

    async def _answer_from_query(request: Request) -> Answer:
        return await answer_for(settings_from_query(request.query_params.get("set")))

    async def api_report(request: Request) -> Response:
        try:
            answer = await _answer_from_query(request)
        except InputError as error:
            return _problems(error)
        except Superseded:
            return Response(status_code=409, headers=SECURITY_HEADERS)
        page_html = await run_in_threadpool(render_plan_html, answer.plan, _lang(request))
        return HTMLResponse(page_html, headers=SECURITY_HEADERS)

    async def download_report(request: Request) -> Response:
        response = await api_report(request)
        if response.status_code == 200:
            name = _slug(session.base_instance.name)
            response.headers["Content-Disposition"] = (
                f'attachment; filename="{name}-whatif-{_lang(request)}.html"')
        return response

    async def download_instance(request: Request) -> Response:
        try:
            overrides = overrides_from_json(
                settings_from_query(request.query_params.get("set")))
            text = await run_in_threadpool(session.instance_yaml, overrides)
        except InputError as error:
            return _problems(error)
        name = _slug(session.base_instance.name)
        return Response(text, media_type="application/x-yaml; charset=utf-8", headers={
            **SECURITY_HEADERS,
            "Content-Disposition": f'attachment; filename="{name}-whatif.yaml"'})

    async def api_save(request: Request) -> Response:
        answer = await answer_of_body(request)
        if isinstance(answer, Response):
            return answer
        run_id = await run_in_threadpool(session.record, answer)
        return JSONResponse({"run": run_id, "status": answer.plan.status},
                            headers=SECURITY_HEADERS)

    routes = [
        Route("/", page),
        Route("/api/solve", api_solve, methods=["POST"]),
        Route("/api/save", api_save, methods=["POST"]),
        Route("/api/state", api_state),
        Route("/api/report", api_report),
        Route("/api/download/report", download_report),
        Route("/api/download/instance", download_instance),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    hosts = allowed_hosts or ["127.0.0.1", "localhost", "::1", "testserver"]
    # A page on another site cannot reach this server through a name that points here.
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=hosts)]
    return Starlette(routes=routes, middleware=middleware)
