"""The HTTP receiver: who may post, what it refuses, and that a refusal writes nothing."""

from __future__ import annotations

import json

import pytest
from aiohttp.test_utils import TestClient

from warroom.alerts.server import MAX_BODY
from warroom.store import Store

from .conftest import PAGERDUTY_SECRET, TOKEN, bearer, counts, payload, signed


async def _still_serving(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200 and await response.text() == "ok\n"


async def test_healthz_needs_no_token(client: TestClient) -> None:
    await _still_serving(client)


@pytest.mark.parametrize("path", ["/alertmanager", "/grafana"])
@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/json"},  # missing
        bearer("wrong-token-0123456789abcdef"),  # invalid
        bearer(TOKEN[:-1]),  # a prefix of the right one
        {"Authorization": f"Basic {TOKEN}", "Content-Type": "application/json"},
        {"Authorization": f"Bearer {TOKEN}é", "Content-Type": "application/json"},
    ],
    ids=["missing", "invalid", "prefix", "basic", "non-ascii"],
)
async def test_a_request_without_the_token_gets_401_and_writes_nothing(
    client: TestClient, store: Store, log_lines: list[str], path: str, headers: dict[str, str]
) -> None:
    name = "alertmanager_firing" if path == "/alertmanager" else "grafana_firing"
    response = await client.post(path, data=json.dumps(payload(name)).encode(), headers=headers)
    assert response.status == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert (await response.json())["ok"] is False
    assert counts(store) == (0, 0)
    assert TOKEN not in "\n".join(log_lines) and "Bearer" not in "\n".join(log_lines)
    await _still_serving(client)


async def test_alertmanager_and_grafana_with_the_token(client: TestClient, store: Store) -> None:
    for path, name in (("/alertmanager", "alertmanager_firing"), ("/grafana", "grafana_firing")):
        response = await client.post(path, json=payload(name), headers=bearer())
        assert response.status == 200, await response.text()
        answer = await response.json()
        assert answer["ok"] and answer["declared"] and answer["written"] >= 3
    assert counts(store)[0] == 2


async def test_replayed_notifications_write_nothing(client: TestClient, store: Store) -> None:
    body = json.dumps(payload("alertmanager_firing")).encode()
    first = await (await client.post("/alertmanager", data=body, headers=bearer())).json()
    before = counts(store)
    for _ in range(3):
        again = await (await client.post("/alertmanager", data=body, headers=bearer())).json()
        assert again["written"] == 0 and again["duplicates"] == 2
        assert again["incident"] == first["incident"]
    assert counts(store) == before


async def test_pagerduty_with_a_valid_signature(client: TestClient, store: Store) -> None:
    body = json.dumps(payload("pagerduty_triggered")).encode()
    response = await client.post("/pagerduty", data=body, headers=signed(body))
    assert response.status == 200, await response.text()
    assert (await response.json())["declared"] is True
    # A replayed delivery (same event id, same signature) records nothing more.
    before = counts(store)
    response = await client.post("/pagerduty", data=body, headers=signed(body))
    assert response.status == 200 and (await response.json())["written"] == 0
    assert counts(store) == before


async def test_pagerduty_accepts_one_good_signature_among_several(
    client: TestClient, store: Store
) -> None:
    body = json.dumps(payload("pagerduty_triggered")).encode()
    good = signed(body)["X-PagerDuty-Signature"]
    old = signed(body, "an-older-secret-0123456789")["X-PagerDuty-Signature"]
    headers = {"X-PagerDuty-Signature": f"{old},{good}", "Content-Type": "application/json"}
    response = await client.post("/pagerduty", data=body, headers=headers)
    assert response.status == 200
    assert counts(store)[0] == 1


@pytest.mark.parametrize("case", ["missing", "wrong-secret", "tampered-body", "not-v1", "junk"])
async def test_pagerduty_without_a_valid_signature_gets_401(
    client: TestClient, store: Store, case: str
) -> None:
    body = json.dumps(payload("pagerduty_triggered")).encode()
    headers = {"Content-Type": "application/json"}
    if case == "wrong-secret":
        headers = signed(body, "not-the-secret-0123456789")
    elif case == "tampered-body":
        headers = signed(body)
        body = body.replace(b"P1", b"P5")
    elif case == "not-v1":
        headers = signed(body)
        headers["X-PagerDuty-Signature"] = headers["X-PagerDuty-Signature"].replace("v1=", "v2=")
    elif case == "junk":
        headers["X-PagerDuty-Signature"] = "v1=é," * 40
    response = await client.post("/pagerduty", data=body, headers=headers)
    assert response.status == 401
    assert counts(store) == (0, 0)
    await _still_serving(client)


async def test_the_bearer_token_does_not_open_the_pagerduty_endpoint(
    client: TestClient, store: Store
) -> None:
    body = json.dumps(payload("pagerduty_triggered")).encode()
    response = await client.post("/pagerduty", data=body, headers=bearer())
    assert response.status == 401 and counts(store) == (0, 0)


async def test_an_ignored_pagerduty_event_type_is_accepted_and_writes_nothing(
    client: TestClient, store: Store
) -> None:
    body = json.dumps(payload("pagerduty_annotated")).encode()
    response = await client.post("/pagerduty", data=body, headers=signed(body))
    assert response.status == 200 and (await response.json())["ignored"]
    assert counts(store) == (0, 0)


_FIRING = json.dumps(payload("alertmanager_firing")).encode()


def _deep(depth: int) -> bytes:
    return b'{"a":' * depth + b"1" + b"}" * depth


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        (b"", "application/json", 400, "empty"),
        (b"{not json", "application/json", 400, "malformed JSON"),
        (b"\xff\xfe{}", "application/json", 400, "UTF-8"),
        (b"[1, 2]", "application/json", 400, "JSON object"),
        (_deep(100_000), "application/json", 400, "nested too deeply"),
        (b'{"version": "4"}', "application/json", 400, "invalid payload"),
        (_FIRING, "text/plain", 415, "application/json"),
        (_FIRING, "application/x-www-form-urlencoded", 415, "application/json"),
    ],
    ids=["empty", "malformed", "not-utf8", "not-object", "deep", "missing-fields",
         "text-plain", "form"],
)
async def test_bad_bodies_are_refused_and_write_nothing(
    client: TestClient, store: Store, log_lines: list[str],
    body: bytes, content_type: str, status: int, says: str,
) -> None:
    headers = bearer()
    headers["Content-Type"] = content_type
    response = await client.post("/alertmanager", data=body, headers=headers)
    assert response.status == status
    answer = await response.json()
    assert answer["ok"] is False and says in answer["error"] and "\n" not in answer["error"]
    assert counts(store) == (0, 0)
    assert len(log_lines) == 1 and str(status) in log_lines[0]
    await _still_serving(client)


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d["alerts"][0].pop("startsAt"),
        lambda d: d["alerts"][0].pop("labels"),
        lambda d: d.pop("groupKey"),
        lambda d: d.update(alerts=[]),
        lambda d: d.update(version="3"),
        lambda d: d["alerts"][0].update(status="exploded"),
        lambda d: d["alerts"][0].update(startsAt="yesterday"),
        lambda d: d["alerts"][0]["labels"].update(nested={"a": {"b": 1}}),
    ],
    ids=["no-startsAt", "no-labels", "no-groupKey", "no-alerts", "version", "status",
         "bad-time", "nested-label"],
)
async def test_missing_or_wrong_fields_are_400(client: TestClient, store: Store, mutate) -> None:
    document = payload("alertmanager_firing")
    mutate(document)
    response = await client.post("/alertmanager", json=document, headers=bearer())
    assert response.status == 400
    error = (await response.json())["error"]
    assert error.startswith("invalid payload: ") and "\n" not in error and len(error) < 400
    assert counts(store) == (0, 0)
    await _still_serving(client)


async def test_a_body_over_1_mb_is_413_and_writes_nothing(client: TestClient, store: Store) -> None:
    document = payload("alertmanager_firing")
    document["alerts"][0]["annotations"]["description"] = "x" * MAX_BODY
    response = await client.post("/alertmanager", json=document, headers=bearer())
    assert response.status == 413
    assert counts(store) == (0, 0)
    await _still_serving(client)


async def test_a_chunked_body_over_1_mb_is_413(client: TestClient, store: Store) -> None:
    async def chunks():  # no Content-Length: the limit must hold while reading
        yield b'{"version": "4", "pad": "'
        for _ in range(80):
            yield b"y" * 16_384
        yield b'"}'

    response = await client.post("/alertmanager", data=chunks(), headers=bearer())
    assert response.status == 413
    assert counts(store) == (0, 0)
    await _still_serving(client)


async def test_hostile_labels_through_http(client: TestClient, store: Store) -> None:
    document = payload("alertmanager_firing")
    document["alerts"][0]["labels"]["instance"] = "\x1b[31m[link=https://x]y[/link]\x1b]0;title\x07"
    response = await client.post("/alertmanager", json=document, headers=bearer())
    assert response.status == 200
    slug = (await response.json())["incident"]
    record = store.incident(slug)
    texts = [e.text for e in store.events(record.id)]
    assert all("\x1b" not in t and "\x07" not in t for t in texts)
    assert any("[link=https://x]y[/link]" in t for t in texts)


async def test_unknown_paths_and_methods(client: TestClient, store: Store) -> None:
    assert (await client.get("/alertmanager")).status == 405
    assert (await client.post("/elsewhere", json={}, headers=bearer())).status == 404
    assert counts(store) == (0, 0)


async def test_one_log_line_per_request_without_secrets(
    client: TestClient, log_lines: list[str]
) -> None:
    body = json.dumps(payload("pagerduty_triggered")).encode()
    await client.post("/pagerduty", data=body, headers=signed(body))
    await client.post("/alertmanager", json=payload("alertmanager_firing"), headers=bearer())
    wrong = bearer("nope-0123456789abcdefg")
    await client.post("/alertmanager?token=" + TOKEN, json={}, headers=wrong)
    await client.get("/healthz")
    assert len(log_lines) == 4
    joined = "\n".join(log_lines)
    assert TOKEN not in joined and PAGERDUTY_SECRET not in joined
    assert signed(body)["X-PagerDuty-Signature"][3:] not in joined
    assert " POST /pagerduty 200 " in log_lines[0] and "declared" in log_lines[0]
    assert " POST /alertmanager 401 " in log_lines[2]


async def test_a_database_error_is_503_so_the_sender_retries(
    client: TestClient, store: Store, intake, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warroom.store import StoreBusyError

    real = store.append_pages_many
    calls = []

    def busy_once(requests):
        calls.append(requests)
        if len(calls) == 1:
            raise StoreBusyError("the database stayed locked; nothing was written, try again")
        return real(requests)

    monkeypatch.setattr(store, "append_pages_many", busy_once)
    body = json.dumps(payload("alertmanager_firing")).encode()
    first = await client.post("/alertmanager", data=body, headers=bearer())
    assert first.status == 503 and first.headers["Retry-After"] == "5"
    assert counts(store) == (0, 0)
    retry = await client.post("/alertmanager", data=body, headers=bearer())  # the sender's retry
    assert retry.status == 200 and (await retry.json())["declared"]
    again = await client.post("/alertmanager", data=body, headers=bearer())
    assert (await again.json())["written"] == 0
    assert counts(store) == (1, 5)


async def test_a_bug_is_500_one_log_line_and_the_server_keeps_serving(
    client: TestClient, store: Store, intake, log_lines: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(notifications):
        raise KeyError("boom")

    monkeypatch.setattr(intake, "receive_many", broken)
    response = await client.post("/alertmanager", json=payload("alertmanager_firing"),
                                 headers=bearer())
    assert response.status == 500 and (await response.json())["error"] == "internal error"
    assert len(log_lines) == 1 and "internal error (KeyError" in log_lines[0]
    await _still_serving(client)


async def test_lone_surrogates_and_nul_in_labels_are_stored_clean(
    client: TestClient, store: Store
) -> None:
    text = json.dumps(payload("alertmanager_firing"))
    text = text.replace('"web-1"', '"web\\u0000-1\\ud800"').replace(
        '"Checkout 5xx above 5%"', '"Checkout\\udfff 5xx\\u0007"', 1)
    response = await client.post("/alertmanager", data=text.encode(), headers=bearer())
    assert response.status == 200, await response.text()
    record = store.incident((await response.json())["incident"])
    for event in store.events(record.id):
        assert "\x00" not in event.text and "\x07" not in event.text
        assert not any(0xD800 <= ord(c) <= 0xDFFF for c in event.text)
