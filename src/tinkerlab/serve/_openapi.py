"""OpenAPI and ``/docs``: what a service says about itself, served offline.

FastAPI writes the spec of the GET routes from their signatures. The model endpoint
(``POST /predict`` or ``POST /generate``) is served by the middleware, outside FastAPI's
router, so :func:`install_openapi` adds its operation from the endpoint's own schemas,
declares the bearer token (``HTTPBearer``) when there is one, and lists every error answer.
``/docs`` is Swagger UI with its files from the ``swagger-ui-bundle-v2`` pip package: no
CDN, so the page works without a network.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

if TYPE_CHECKING:
    from fastapi import FastAPI

    from tinkerlab.serve._config import ServeConfig
    from tinkerlab.serve._routes import ModelEndpoint

#: The Swagger UI files served under /docs/assets (nothing else from that folder).
DOCS_ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "application/javascript",
    "favicon-32x32.png": "image/png",
}
#: Paths that never need the token: liveness for load balancers, and the docs.
OPEN_PATHS = frozenset({"/health", "/docs", "/openapi.json", "/"})
OPEN_PREFIX = "/docs/assets/"
BEARER = "HTTPBearer"


class Problem(BaseModel):
    """One thing wrong with a request: where, the value, what is allowed."""

    field: str | None = None
    row: int | None = None
    value: Any = None
    allowed: list[Any] | None = None
    type: str | None = None
    message: str


class ErrorMessage(BaseModel):
    """What every error answer holds: a sentence with the fix, and the problems."""

    message: str
    problems: list[Problem] | None = None


def schema_of(model: type[BaseModel]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(a ``$ref`` to *model*, the component schemas it needs), for an OpenAPI spec."""
    schema = model.model_json_schema(by_alias=True, ref_template="#/components/schemas/{model}")
    components = schema.pop("$defs", {})
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}, components


def install_openapi(app: FastAPI, endpoint: ModelEndpoint, config: ServeConfig) -> None:
    """Make ``app.openapi()`` return FastAPI's spec plus the model endpoint and the token."""
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        components = spec.setdefault("components", {})
        schemas = components.setdefault("schemas", {})
        error_ref, error_schemas = schema_of(ErrorMessage)
        schemas.update({**error_schemas, **endpoint.components})
        spec["paths"][endpoint.path] = {"post": _operation(endpoint, error_ref)}
        if config.token:
            components["securitySchemes"] = {
                BEARER: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The service's token (--token-file).",
                }
            }
            for path, item in spec["paths"].items():
                if path not in OPEN_PATHS:
                    for operation in item.values():
                        operation["security"] = [{BEARER: []}]
                        operation["responses"]["401"] = _error(error_ref, "Missing or wrong token")
        app.openapi_schema = spec
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _operation(endpoint: ModelEndpoint, error_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "summary": endpoint.summary,
        "operationId": f"{endpoint.path.strip('/')}_post",
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": endpoint.request_schema}},
        },
        "responses": {
            "200": {
                "description": "Successful Response",
                "content": {"application/json": {"schema": endpoint.response_schema}},
            },
            "408": _error(error_ref, "The body did not arrive in time (the connection is closed)"),
            "413": _error(error_ref, "The body is larger than the limit"),
            "415": _error(error_ref, "The body is not sent as application/json"),
            "422": _error(error_ref, "A field's value is not allowed (named)"),
        },
    }


def _error(ref: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": ref}}}


def error_responses() -> dict[int | str, dict[str, Any]]:
    """FastAPI ``responses=`` for a GET route whose query may be refused (422)."""
    return {422: {"model": ErrorMessage, "description": "A query value is out of range"}}


def auth_text(config: ServeConfig) -> str:
    """What the API description says about the token."""
    if config.token:
        return "Every endpoint but /health needs `Authorization: Bearer <token>` (use Authorize)."
    return "No token needed: the service listens on this machine only."


def add_docs_routes(app: FastAPI) -> None:
    """``/docs``: Swagger UI, with its assets served from a pip package (works offline)."""
    from fastapi.responses import FileResponse, HTMLResponse
    from starlette.exceptions import HTTPException

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(docs_page(app.title))

    @app.get("/docs/assets/{name}", include_in_schema=False)
    async def docs_asset(name: str) -> FileResponse:
        if name not in DOCS_ASSETS:
            raise HTTPException(status_code=404, detail=f"No docs asset {name!r}.")
        import swagger_ui_bundle  # type: ignore[import-untyped]

        folder = Path(str(swagger_ui_bundle.swagger_ui_path))
        return FileResponse(folder / name, media_type=DOCS_ASSETS[name])


def docs_page(title: str) -> str:
    """Swagger UI with every asset served by this service: no CDN, works offline.

    Paths are relative (``docs/assets/...``, ``openapi.json``) so the page also works
    behind a reverse proxy that mounts the service under a prefix.
    """
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{html.escape(title)}</title>
<link rel="icon" type="image/png" href="docs/assets/favicon-32x32.png">
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head><body><div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({{
  url: "openapi.json", dom_id: "#swagger-ui", deepLinking: true,
  validatorUrl: null, presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout"
}});
</script></body></html>
"""


__all__ = ["ErrorMessage", "add_docs_routes", "auth_text", "install_openapi", "schema_of"]
