"""A Python client for a tinkerlab model service (httpx).

>>> client = Client("http://127.0.0.1:8000")                  # doctest: +SKIP
>>> client.predict({"sex": "female", "age": 29})               # doctest: +SKIP
{'prediction': 'yes', 'probabilities': {'no': 0.05, 'yes': 0.95}, ...}
>>> client.predict(frame)        # a DataFrame: sent in batches, a DataFrame back  # doctest: +SKIP

The token comes from ``token=`` or the ``TINKERLAB_TOKEN`` variable. Errors become
:class:`~tinkerlab.exceptions.ServiceError` with the service's own message (a 422 names
the field, the value and what is allowed) and the HTTP status.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tinkerlab.exceptions import ServiceError
from tinkerlab.serve._security import TOKEN_VARIABLE

if TYPE_CHECKING:
    import httpx
    import pandas as pd


class Client:
    """Talk to a model service: predictions, health, metadata, metrics and drift.

    Parameters
    ----------
    url : str
        Where the service listens, e.g. ``http://127.0.0.1:8000``.
    token : str, optional
        The bearer token; default ``$TINKERLAB_TOKEN``.
    batch_size : int
        Rows per request when predicting a large table.
    timeout : float
        Seconds to wait for each answer.
    http : httpx.Client, optional
        A ready client to use instead (tests pass FastAPI's TestClient here).
    """

    def __init__(
        self,
        url: str,
        *,
        token: str | None = None,
        batch_size: int = 500,
        timeout: float = 30.0,
        http: httpx.Client | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1; got {batch_size}")
        self.url = url.rstrip("/")
        self.batch_size = batch_size
        token = token if token is not None else os.environ.get(TOKEN_VARIABLE) or None
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if http is None:
            import httpx

            http = httpx.Client(base_url=self.url, timeout=timeout, headers=headers)
        else:
            http.headers.update(headers)
        self.http = http
        self._inputs: list[str] | None = None
        #: Columns of the last DataFrame that the model does not use (not sent).
        self.unused_columns: list[str] = []

    # --- predictions ----------------------------------------------------------------------

    def predict(self, data: pd.DataFrame | list[dict[str, Any]] | dict[str, Any]) -> Any:
        """Predict one row (a dict), many (a list of dicts) or a whole DataFrame.

        A dict gives the service's answer for it; a list gives a list of
        ``{"prediction", "probabilities"}``; a DataFrame gives a DataFrame with a
        ``prediction`` column and one ``probability_<class>`` column per class, on the
        same index. Lists and frames are sent ``batch_size`` rows at a time; columns the
        model does not use (ids, the target...) are left out (``unused_columns``).
        """
        import pandas as pd

        if isinstance(data, dict):
            return self._post("/predict", data)
        if isinstance(data, pd.DataFrame):
            from tinkerlab.serve._artifact import rows_from_frame

            inputs = self.inputs()
            self.unused_columns = [str(c) for c in data.columns if c not in inputs]
            results = self._predict_rows(rows_from_frame(data, inputs))
            return _as_frame(results, data.index)
        return self._predict_rows(list(data))

    def _predict_rows(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for start in range(0, len(rows), self.batch_size):
            chunk = rows[start : start + self.batch_size]
            try:
                answer = self._post("/predict", chunk)
            except ServiceError as error:
                if start:
                    raise ServiceError(
                        f"Rows {start}–{start + len(chunk) - 1}: {error} ({start} rows before "
                        "them were predicted).",
                        error.status,
                    ) from None
                raise
            out.extend(answer["predictions"])
        return out

    def inputs(self) -> list[str]:
        """The model's input columns (from ``/metadata``, asked once)."""
        if self._inputs is None:
            self._inputs = [c["name"] for c in self.metadata()["inputs"]]
        return self._inputs

    # --- the other endpoints --------------------------------------------------------------

    def health(self) -> dict[str, Any]:
        """``{"status": "ok", "model_id": ..., "model_version": ...}``."""
        return self._get("/health")  # type: ignore[no-any-return]

    def metadata(self) -> dict[str, Any]:
        """The model card, inputs, metrics, versions and recipe."""
        return self._get("/metadata")  # type: ignore[no-any-return]

    def drift(self, window: int | None = None) -> dict[str, Any]:
        """Drift of the last *window* served rows against the training data."""
        return self._get("/drift", params={"window": window} if window else None)  # type: ignore[no-any-return]

    def metrics(self) -> str:
        """The Prometheus text of ``/metrics``."""
        return self._request("GET", "/metrics").text

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- plumbing ---------------------------------------------------------------------------

    def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self._request("GET", path, params=params).json()

    def _post(self, path: str, body: Any) -> Any:
        return self._request("POST", path, json=body).json()

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        import httpx

        try:
            response = self.http.request(method, path, **kwargs)
        except httpx.TimeoutException:
            raise ServiceError(
                f"The model service at {self.url} did not answer {method} {path} in time. "
                "Fix: check it is running and not overloaded, or raise the timeout."
            ) from None
        except httpx.TransportError as error:
            raise ServiceError(
                f"Cannot reach the model service at {self.url} ({error}). Fix: start it with "
                "tinkerlab serve DIR, and check the address and port."
            ) from None
        if response.status_code < 400:
            return response
        try:
            said = str(response.json().get("message", response.text))
        except ValueError:
            said = response.text[:300]
        status = response.status_code
        if status == 401:
            said += f" Fix: pass token=... (or set {TOKEN_VARIABLE}; --token-file on the CLI)."
        elif status == 413:
            said += " Fix: a smaller batch_size (--batch-size)."
        elif status >= 500:
            said = f"The service failed (HTTP {status}): {said}"
        raise ServiceError(said, status)


def _as_frame(results: list[dict[str, Any]], index: Any) -> pd.DataFrame:
    import pandas as pd

    columns: dict[str, list[Any]] = {"prediction": [r["prediction"] for r in results]}
    if results and "probabilities" in results[0]:
        for label in results[0]["probabilities"]:
            columns[f"probability_{label}"] = [r["probabilities"][label] for r in results]
    return pd.DataFrame(columns, index=index)
