"""Data: built-in datasets and uploads, a preview, each column's role with the reason, and
role overrides (the same options ``tinkerlab run`` takes: target, drop, text...)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from tinkerlab.exceptions import TinkerlabError
from tinkerlab.options import speaking
from tinkerlab.web import _look, _uploads
from tinkerlab.web._guard import require_csrf
from tinkerlab.web._render import fragment, render

router = APIRouter()

#: Rows the preview shows.
PREVIEW_ROWS = 20
#: The role overrides a column can get, as the run form's options name them.
OVERRIDES = ("categorical", "numeric", "text", "drop")


@router.get("/data")
def data_page(request: Request, error: str = "") -> Response:
    """Every built-in dataset and every upload; the upload form."""
    from tinkerlab import _api

    config = request.app.state.config
    context: dict[str, Any] = {
        "builtins": _api.datasets(),
        "uploads": _uploads.listing(config.folder("uploads")),
        "limit_mb": config.max_upload_bytes / 2**20,
        "extensions": ", ".join(_uploads.EXTENSIONS),
        "problems": [error] if error else [],
    }
    return render(request, "data.html", **context)


@router.post("/data/upload", dependencies=[Depends(require_csrf)])
async def upload(request: Request, file: Annotated[UploadFile, File()]) -> Response:
    """Store the file under a generated folder, check that it reads as a table, show it."""
    config = request.app.state.config
    folder = config.folder("uploads")
    try:
        stored = await _uploads.store(file, folder, config.max_upload_bytes)
    except TinkerlabError as error:
        return _refused(request, str(error))
    try:
        from tinkerlab.web._choices import load_cached

        with speaking("web", "run"):
            load_cached(str(stored.path))
    except TinkerlabError as error:
        _uploads.delete(folder, stored.id)
        return _refused(request, f"{stored.original!r} was not kept: {error}")
    return RedirectResponse(f"/data/{stored.choice}", status_code=303)


def _refused(request: Request, message: str) -> Response:
    """The Data page again, saying why the upload was refused."""
    response = data_page(request, error=message)
    response.status_code = 422
    return response


@router.post("/data/{name}/delete", dependencies=[Depends(require_csrf)])
def delete_upload(request: Request, name: str) -> Response:
    """Remove an upload (built-ins cannot be removed)."""
    if name.startswith(_uploads.PREFIX):
        _uploads.delete(request.app.state.config.folder("uploads"), name[len(_uploads.PREFIX) :])
    return RedirectResponse("/data", status_code=303)


@router.get("/data/{name}")
def dataset_page(request: Request, name: str) -> Response:
    """A preview, each column's role and why, and overrides that reload it as asked."""
    from tinkerlab import _api

    config = request.app.state.config
    query = request.query_params
    options: dict[str, list[str]] = {n: query.getlist(n) for n in OVERRIDES if query.getlist(n)}
    for key, role in query.multi_items():  # the override form: role:COLUMN=ROLE
        if key.startswith("role:") and role in OVERRIDES:
            options.setdefault(role, []).append(key[len("role:") :])
    target = query.get("target") or None
    with speaking("web", "run"):
        source = _uploads.resolve(config.folder("uploads"), name)
        if options or target:
            dataset = _api.load(
                source,
                target=target,
                drop=options.get("drop", ()),
                text=options.get("text", ()),
                categorical=options.get("categorical", ()),
                numeric=options.get("numeric", ()),
            )
        else:
            from tinkerlab.web._choices import load_cached

            dataset = load_cached(source)
    frame = dataset.frame.head(PREVIEW_ROWS)
    preview = [[_cell(v) for v in row] for row in frame.itertuples(index=False)]
    info = next((d for d in _api.datasets() if d.name == name), None)
    upload = None
    if name.startswith(_uploads.PREFIX):
        upload = _uploads.get(config.folder("uploads"), name[len(_uploads.PREFIX) :])
    chosen = {c: _chosen(c, options) for c in dataset.columns}
    run_query = urlencode(
        [("dataset", name)]
        + ([("target", target)] if target else [])
        + [(n, v) for n, values in options.items() for v in values]
    )
    look_query = urlencode([("target", target)] if target else [])
    context: dict[str, Any] = {
        "name": name,
        "charts": True,
        "look_url": f"/data/{quote(name, safe=':')}/look"
        + (f"?{look_query}" if look_query else ""),
        "dataset": dataset,
        "columns": list(dataset.columns.values()),
        "preview_columns": [str(c) for c in frame.columns],
        "preview": preview,
        "rows": len(dataset.frame),
        "info": info,
        "upload": upload,
        "chosen": chosen,
        "target": target,
        "run_query": run_query,
    }
    return render(request, "dataset.html", **context)


@router.get("/data/{name}/look")
def look_fragment(request: Request, name: str, target: str = "") -> Response:
    """The data report (``tinkerlab look``) of a dataset, as a part of its page: the
    alerts and their next steps (links to the forms), the columns, the charts."""
    source, upload, chosen = _look_source(request, name, target)
    try:
        with speaking("web", "run"):
            look = _look.look_cached(source, chosen)
    except TinkerlabError as error:  # shown in place of the report, not as a failed request
        return fragment(request, "_look.html", problem=str(error))
    context = _look.look_context(look, upload)
    context["name"] = name
    context["report_url"] = f"/data/{quote(name, safe=':')}/look.html" + (
        f"?{urlencode({'target': target})}" if target else ""
    )
    return fragment(request, "_look.html", **context)


@router.get("/data/{name}/look.html")
def look_download(request: Request, name: str, target: str = "") -> Response:
    """The whole report as one offline HTML page (the same as ``tinkerlab look``), to keep."""
    source, _upload, chosen = _look_source(request, name, target)
    with speaking("web", "run"):
        look = _look.look_cached(source, chosen)
    file_name = _uploads.clean_name(f"look_{look.dataset}.html")
    return Response(
        look.html(),
        media_type="text/html; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{file_name}"'},
    )


def _look_source(
    request: Request, name: str, target: str
) -> tuple[str, tuple[str, str] | None, str | None]:
    """What to look at: the source ``tinkerlab.data`` reads, the upload's (path, choice)
    if it is one, and the target (an upload's proposed one: its last column)."""
    from tinkerlab.web._choices import default_target

    with speaking("web", "run"):
        source = _uploads.resolve(request.app.state.config.folder("uploads"), name)
        upload = (source, name) if name.startswith(_uploads.PREFIX) else None
        chosen = target or (default_target(source) if upload else None)
    return source, upload, chosen


def _chosen(column: str, options: dict[str, list[str]]) -> str:
    for role, names in options.items():
        if column in names:
            return role
    return ""


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if text == "nan":
        return ""
    return text if len(text) <= 60 else text[:57] + "…"
