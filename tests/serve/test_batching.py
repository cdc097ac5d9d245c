"""Micro-batching: concurrent single rows share a predict call, with identical results."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest

from tinkerlab.serve import ServeConfig, create_app
from tinkerlab.serve._batching import MicroBatcher


async def _send_concurrently(app, rows):
    """POST each row alone, all at once, through the ASGI app (lifespan started)."""
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as client,
    ):
        answers = await asyncio.gather(*(client.post("/predict", json=row) for row in rows))
        metrics = (await client.get("/metrics")).text
    return [a.json() for a in answers], metrics


def test_concurrent_rows_are_batched_and_predicted_as_if_alone(titanic, tmp_path):
    rows = [
        {"sex": sex, "age": age, "passengerClass": cls}
        for sex in ("female", "male")
        for age in (2, 30, None, 70)
        for cls in ("1st", "3rd")
    ] * 4  # 64 requests
    common = {"monitor_dir": tmp_path, "access_log": False}
    batched_app = create_app(titanic, ServeConfig(max_batch=16, max_wait_ms=20, **common))
    alone_app = create_app(titanic, ServeConfig(batch=False, **common))
    batched, metrics = asyncio.run(_send_concurrently(batched_app, rows))
    alone, alone_metrics = asyncio.run(_send_concurrently(alone_app, rows))

    assert batched == alone  # predictions and probabilities, bit for bit
    assert batched == [
        {**r, "model_id": titanic.model_id, "model_version": titanic.version}
        for r in titanic.predict(rows)
    ]
    calls = int(re.search(r"tinkerlab_batch_rows_count (\d+)", metrics).group(1))
    rows_seen = float(re.search(r"tinkerlab_batch_rows_sum (\S+)", metrics).group(1))
    assert rows_seen == 64
    assert calls <= 64 // 2  # at least two rows per call on average
    assert 'tinkerlab_batch_rows_bucket{le="1"} 0' in metrics  # no call predicted a lone row
    assert "tinkerlab_batch_rows_count 64" in alone_metrics


def test_one_bad_request_does_not_fail_its_batch_mates():
    def predict(requests):
        rows = [r for request in requests for r in request]
        if any(r.get("bad") for r in rows):
            if len(requests) > 1:
                raise ValueError("a bad row in the batch")
            return [ValueError("bad row")]
        return [[{"prediction": r["x"]} for r in request] for request in requests]

    async def main():
        batcher = MicroBatcher(lambda reqs: _isolating(predict, reqs), max_batch=8, max_wait=0.05)
        await batcher.start()
        results = await asyncio.gather(
            batcher.submit([{"x": 1}]),
            batcher.submit([{"bad": True}]),
            batcher.submit([{"x": 3}, {"x": 4}]),
            return_exceptions=True,
        )
        await batcher.stop()
        return results

    good, bad, pair = asyncio.run(main())
    assert good == [{"prediction": 1}]
    assert isinstance(bad, ValueError)
    assert pair == [{"prediction": 3}, {"prediction": 4}]


def _isolating(predict, requests):
    """What the engine does: a failing joint call is retried one request at a time."""
    try:
        return predict(requests)
    except ValueError:
        return [predict([r])[0] for r in requests]


def test_stop_predicts_what_is_still_queued():
    calls = []

    def predict(requests):
        calls.append(len(requests))
        return [[{"prediction": 0}] * len(r) for r in requests]

    async def main():
        batcher = MicroBatcher(predict, max_batch=4, max_wait=10.0)  # would wait 10 s
        await batcher.start()
        pending = [asyncio.ensure_future(batcher.submit([{}])) for _ in range(6)]
        await asyncio.sleep(0)
        await asyncio.wait_for(batcher.stop(), timeout=5)
        return await asyncio.gather(*pending)

    results = asyncio.run(main())
    assert results == [[{"prediction": 0}]] * 6
    assert sum(calls) == 6
    assert max(calls) <= 4


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="max_batch"):
        MicroBatcher(lambda r: r, max_batch=0)
