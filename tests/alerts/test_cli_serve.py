"""``warroom alerts serve`` as a process: starts on loopback, logs, stops cleanly."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from warroom.store import Store

from .conftest import TOKEN, payload
from .serving import ServeProcess


def _post(url: str, body: bytes, token: str = TOKEN) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=body, method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_serve_records_logs_and_stops_cleanly(tmp_path: Path, signum: int) -> None:
    db = tmp_path / "w.db"
    with ServeProcess(tmp_path / "serve", db, token=TOKEN) as server:
        assert server.url.startswith("http://127.0.0.1:")
        status, answer = _post(server.url + "/alertmanager",
                               json.dumps(payload("alertmanager_firing")).encode())
        assert status == 200 and answer["declared"]
        status, _ = _post(server.url + "/alertmanager", b"{}", token="wrong-0123456789abcdef")
        assert status == 401
        server.wait_for_log(" 401 ")
        code = server.stop(signum)
    assert code == 0
    assert server.lines[-1] == "warroom alerts: stopped"
    requests = [line for line in server.lines if " POST " in line]
    assert len(requests) == 2
    assert all(TOKEN not in line for line in server.lines)
    with Store.open(db) as store:
        (record,) = store.incidents()
        assert record.slug == answer["incident"]


def _run(*argv: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.toml"
    config.write_text("", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "warroom", "--db", str(tmp_path / "w.db"), "alerts", *argv],
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
        env={"WARROOM_CONFIG": str(config), "PATH": "/usr/bin:/bin"},
    )


def test_serve_refuses_bad_secret_files_in_one_line(tmp_path: Path) -> None:
    short = tmp_path / "short"
    short.write_text("abc\n")
    short.chmod(0o600)
    shared = tmp_path / "shared"
    shared.write_text(TOKEN)
    shared.chmod(0o644)
    for token_file, says in ((tmp_path / "missing", "cannot read"), (short, "fewer than"),
                             (shared, "readable by every user")):
        result = _run("serve", "--token-file", str(token_file), tmp_path=tmp_path)
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and says in lines[0] and TOKEN not in lines[0]


def test_serve_refuses_a_bad_listen_address(tmp_path: Path) -> None:
    token = tmp_path / "token"
    token.write_text(TOKEN)
    token.chmod(0o600)
    result = _run("serve", "--token-file", str(token), "--listen", "localhost", tmp_path=tmp_path)
    assert result.returncode == 2 and "HOST:PORT" in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _run("serve", "--token-file", str(token), "--listen", f"127.0.0.1:{port}",
                      tmp_path=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith("warroom: error: cannot listen")


def test_listen_addresses() -> None:
    from warroom.alerts.cli import _loopback, parse_listen

    assert parse_listen("127.0.0.1:9414") == ("127.0.0.1", 9414)
    assert parse_listen("[::1]:0") == ("::1", 0)
    for bad in ("localhost", ":80", "host:99999", "host:http"):
        with pytest.raises(ValueError, match="HOST:PORT"):
            parse_listen(bad)
    assert _loopback("127.0.0.1") and _loopback("::1") and _loopback("localhost")
    assert not _loopback("0.0.0.0") and not _loopback("192.0.2.7") and not _loopback("example.com")
