"""``warroom alerts serve``: the command-line side of the receiver.

:func:`register` adds the sub-command to the ``warroom`` parser (nothing heavy is
imported until the command runs); :func:`run` reads the secrets, opens the store and
serves until SIGTERM or Ctrl-C, logging one line per request on standard error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warroom.cli.context import Context

#: Where the receiver listens unless told otherwise: loopback only.
DEFAULT_LISTEN = "127.0.0.1:9414"


def register(sub: Any, common: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add ``alerts serve`` to the sub-parsers ``sub``; ``common`` adds the common options."""
    serve = sub.add_parser(
        "alerts", help="receive alerts: warroom alerts serve (Alertmanager, Grafana, PagerDuty)",
        description="alerts serve: receive Alertmanager (POST /alertmanager), Grafana "
        "(POST /grafana) and PagerDuty v3 (POST /pagerduty) webhooks; firing alerts declare "
        "or feed incidents. Stops on SIGTERM or Ctrl-C.",
    )
    serve.add_argument("action", choices=("serve",), metavar="serve",
                       help="run the webhook receiver")
    serve.add_argument("--listen", metavar="HOST:PORT", default=DEFAULT_LISTEN,
                       help=f"address to listen on (default {DEFAULT_LISTEN}; port 0: any free)")
    serve.add_argument("--token-file", metavar="FILE", required=True,
                       help="file holding the bearer token Alertmanager and Grafana must send")
    serve.add_argument("--pagerduty-secret-file", metavar="FILE",
                       help="file holding the PagerDuty webhook signing secret "
                       "(enables POST /pagerduty)")
    common(serve)


def parse_listen(value: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[::1]:PORT`` for IPv6) as a host and a port; ValueError if not."""
    host, sep, port_text = value.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ValueError(f"--listen {value!r}: expected HOST:PORT, e.g. {DEFAULT_LISTEN}")
    return host, int(port_text)


def _loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address (or ``localhost``)."""
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(ctx: Context) -> int:
    """Run ``warroom alerts serve`` with the context's store, policy and clock."""
    import asyncio

    from warroom.alerts.auth import SecretFileError, read_secret
    from warroom.alerts.intake import AlertIntake
    from warroom.alerts.server import Receiver, Secrets, serve
    from warroom.cli.errors import CommandError, UsageError

    args = ctx.args
    try:
        host, port = parse_listen(args.listen)
    except ValueError as error:
        raise UsageError(str(error)) from None
    try:
        secrets = Secrets(
            token=read_secret(Path(args.token_file).expanduser(), "token file"),
            pagerduty=read_secret(Path(args.pagerduty_secret_file).expanduser(),
                                  "PagerDuty secret file")
            if args.pagerduty_secret_file else None,
        )
    except SecretFileError as error:
        raise CommandError(str(error)) from None
    policy = ctx.policy()

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    with ctx.store(create=True) as store:

        def ready(bound_host: str, bound_port: int) -> None:
            shown = f"[{bound_host}]" if ":" in bound_host else bound_host
            paths = "/alertmanager, /grafana" + (", /pagerduty" if secrets.pagerduty else "")
            log(f"warroom alerts: listening on http://{shown}:{bound_port} "
                f"(POST {paths}; GET /healthz); database {store.location}")
            if not _loopback(bound_host):
                log("warroom alerts: warning: listening beyond this machine over plain HTTP; "
                    "put a TLS-terminating proxy in front so the token is not sent in clear")

        receiver = Receiver(AlertIntake(store, policy=policy, time=ctx.time), secrets, log)
        try:
            asyncio.run(serve(receiver, host, port, ready=ready))
        except OSError as error:  # the address is taken or not ours
            raise CommandError(f"cannot listen on {args.listen}: "
                               f"{error.strerror or error}") from None
    log("warroom alerts: stopped")
    return 0
