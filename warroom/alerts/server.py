"""The HTTP receiver: aiohttp, three webhook endpoints and ``GET /healthz``.

aiohttp is the asyncio HTTP server and client in one maintained package: it caps request
bodies itself (``client_max_size``, answered with 413 before the handler sees a byte
more), stops gracefully (in-flight requests finish, then the listener closes), and its
client drives the tests and the benchmark without a second library.

Every POST is checked in this order, and a refusal writes nothing:

1. who (401): the bearer token for ``/alertmanager`` and ``/grafana``, the
   ``X-PagerDuty-Signature`` of the raw body for ``/pagerduty``;
2. the content type (415) and the size (413, over :data:`MAX_BODY`);
3. the JSON (400: not UTF-8, malformed, nested too deeply) and the payload's shape
   (400, naming the first bad field).

Then the notification is queued for the :class:`~warroom.alerts.intake.AlertIntake`,
which runs in one worker thread: whatever queued up while it wrote the previous batch
is written next, in arrival order, in one transaction (one commit for a burst). A database error is
503, so the sender retries; the write was rolled back. Each request is logged on one
line (time, peer, method, path, status, milliseconds, outcome): never a header, a token
or a body.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import time as _time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from warroom.alerts.auth import bearer_ok, pagerduty_ok
from warroom.alerts.intake import BATCH_LIMIT, AlertIntake, Outcome
from warroom.alerts.mapping import clip
from warroom.alerts.payloads import (
    Notification,
    PayloadError,
    parse_alertmanager,
    parse_grafana,
    parse_pagerduty,
)
from warroom.store import StoreError

#: The largest request body accepted (bytes).
MAX_BODY = 1024 * 1024
#: How long in-flight requests may take to finish once a stop is asked for.
SHUTDOWN_GRACE_S = 10.0

Log = Callable[[str], None]
_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_OUTCOME = web.RequestKey("outcome", str)


@dataclass(frozen=True)
class Secrets:
    """The bearer token, and PagerDuty's signing secret when that endpoint is on."""

    token: bytes
    pagerduty: bytes | None = None


class _Refused(Exception):
    """A request answered with ``status`` and a one-line reason; nothing was written."""

    def __init__(self, status: int, reason: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.headers = headers or {}


def _answer(
    status: int, body: dict[str, Any], headers: dict[str, str] | None = None
) -> web.Response:
    return web.json_response(body, status=status, headers=headers)


class Receiver:
    """The aiohttp application around one :class:`AlertIntake`."""

    def __init__(self, intake: AlertIntake, secrets: Secrets, log: Log) -> None:
        self.intake = intake
        self.secrets = secrets
        self.log = log
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warroom-alerts")
        self._queue: asyncio.Queue[tuple[Notification, asyncio.Future[Outcome]]] | None = None
        self._writer: asyncio.Task[None] | None = None
        self.app = web.Application(client_max_size=MAX_BODY, middlewares=[self._middleware])
        self.app.router.add_get("/healthz", self._healthz)
        self.app.router.add_post("/alertmanager", self._alertmanager)
        self.app.router.add_post("/grafana", self._grafana)
        self.app.router.add_post("/pagerduty", self._pagerduty)
        self.app.on_startup.append(self._start)
        self.app.on_cleanup.append(self._close)

    async def _start(self, _app: web.Application) -> None:
        self._queue = asyncio.Queue()
        self._writer = asyncio.create_task(self._write_loop())

    async def _close(self, _app: web.Application) -> None:
        # Called after the requests in flight have finished: nothing is queued any more.
        if self._writer is not None:
            self._writer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._writer
        await asyncio.get_running_loop().run_in_executor(None, self._worker.shutdown, True)

    async def _write_loop(self) -> None:
        """Hand queued notifications to the intake in batches, in arrival order.

        Whatever queued up while the previous batch was written goes next, together:
        one commit for many notifications during a burst, one each when it is quiet.
        """
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            items = [await self._queue.get()]
            while not self._queue.empty() and len(items) < BATCH_LIMIT:
                items.append(self._queue.get_nowait())
            notifications = [notification for notification, _ in items]
            try:
                results: list[Outcome | Exception] = await loop.run_in_executor(
                    self._worker, self.intake.receive_many, notifications
                )
            except Exception as error:  # a bug: every waiting request gets a 500
                results = [error] * len(items)
            for (_, future), result in zip(items, results, strict=True):
                if future.done():
                    continue
                if isinstance(result, Exception):
                    future.set_exception(result)
                else:
                    future.set_result(result)

    # ----------------------------------------------------------------- middleware
    @web.middleware
    async def _middleware(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        started = _time.perf_counter()
        request[_OUTCOME] = ""
        try:
            response = await handler(request)
        except _Refused as refusal:
            request[_OUTCOME] = f"refused: {refusal.reason}"
            response = _answer(refusal.status, {"ok": False, "error": refusal.reason},
                               refusal.headers)
        except web.HTTPException as error:  # 404, 405, 413 raised by aiohttp itself
            request[_OUTCOME] = f"refused: {error.reason}"
            response = _answer(error.status, {"ok": False, "error": error.reason.lower()})
        except Exception as error:  # a bug: answer 500, log one line, keep serving
            request[_OUTCOME] = f"internal error ({type(error).__name__}: {clip(str(error), 200)})"
            response = _answer(500, {"ok": False, "error": "internal error"})
        elapsed = (_time.perf_counter() - started) * 1000
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.log(
            f"{stamp} {request.remote or '-'} {clip(request.method, 10)} "
            f"{clip(request.path, 200)} {response.status} {elapsed:.1f}ms {request[_OUTCOME]}"
            .rstrip()
        )
        return response

    # ----------------------------------------------------------------- endpoints
    async def _healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok\n")

    async def _alertmanager(self, request: web.Request) -> web.Response:
        return await self._group(request, parse_alertmanager)

    async def _grafana(self, request: web.Request) -> web.Response:
        return await self._group(request, parse_grafana)

    async def _group(
        self, request: web.Request, parse: Callable[[Any], Notification]
    ) -> web.Response:
        if not bearer_ok(request.headers.get("Authorization"), self.secrets.token):
            raise _Refused(401, "a valid bearer token is required",
                           {"WWW-Authenticate": 'Bearer realm="warroom"'})
        body = await self._body(request)
        return await self._record(request, parse, body)

    async def _pagerduty(self, request: web.Request) -> web.Response:
        secret = self.secrets.pagerduty
        if secret is None:
            raise _Refused(404, "the PagerDuty endpoint is off (see --pagerduty-secret-file)")
        body = await self._body(request)
        if not pagerduty_ok(request.headers.get("X-PagerDuty-Signature"), body, secret):
            raise _Refused(401, "a valid X-PagerDuty-Signature is required")
        return await self._record(request, parse_pagerduty, body)

    # ----------------------------------------------------------------- steps
    async def _body(self, request: web.Request) -> bytes:
        if request.content_type != "application/json":
            raise _Refused(415, "the body must be application/json")
        length = request.content_length
        if length is not None and length > MAX_BODY:
            raise _Refused(413, f"the body is larger than {MAX_BODY} bytes")
        try:
            return await request.read()
        except web.HTTPRequestEntityTooLarge:
            raise _Refused(413, f"the body is larger than {MAX_BODY} bytes") from None

    async def _record(
        self, request: web.Request, parse: Callable[[Any], Notification], body: bytes
    ) -> web.Response:
        if not body:
            raise _Refused(400, "the body is empty")
        document = _json(body)
        try:
            notification = parse(document)
        except PayloadError as error:
            raise _Refused(400, f"invalid payload: {clip(str(error), 300)}") from None
        except RecursionError:
            raise _Refused(400, "invalid payload: nested too deeply") from None
        try:
            assert self._queue is not None
            future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
            await self._queue.put((notification, future))
            outcome = await future
        except StoreError as error:
            raise _Refused(503, clip(str(error), 300), {"Retry-After": "5"}) from None
        request[_OUTCOME] = outcome.summary()
        return _answer(200, {
            "ok": True,
            "incident": outcome.incident,
            "written": outcome.written,
            "duplicates": outcome.duplicates,
            "declared": outcome.created,
            "ignored": outcome.ignored or None,
            "warning": outcome.warning or None,
        })


def _json(body: bytes) -> Any:
    """The JSON document in ``body``, or a 400 refusal saying why not."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Refused(400, "the body is not UTF-8") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise _Refused(400, f"malformed JSON: {error.msg} at line {error.lineno} "
                            f"column {error.colno}") from None
    except RecursionError:
        raise _Refused(400, "malformed JSON: nested too deeply") from None


async def serve(
    receiver: Receiver,
    host: str,
    port: int,
    *,
    ready: Callable[[str, int], None] | None = None,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve ``receiver`` on ``host:port`` until SIGTERM, SIGINT (Ctrl-C) or ``stop`` is set.

    ``ready`` is called with the bound address once the listener is up (port 0 picks a
    free port). On a stop, requests in flight finish (up to :data:`SHUTDOWN_GRACE_S`),
    then the listener and the worker close.
    """
    loop = asyncio.get_running_loop()
    stop = stop if stop is not None else asyncio.Event()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
        except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
            pass
    runner = web.AppRunner(receiver.app, access_log=None, handle_signals=False)
    await runner.setup()
    try:
        site = web.TCPSite(runner, host, port, shutdown_timeout=SHUTDOWN_GRACE_S)
        await site.start()
        bound_host, bound_port = _bound(runner, host, port)
        if ready is not None:
            ready(bound_host, bound_port)
        await stop.wait()
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
        await runner.cleanup()


def _bound(runner: web.AppRunner, host: str, port: int) -> tuple[str, int]:
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return str(address[0]), int(address[1])
    return host, port
