"""A loopback TCP proxy to a PostgreSQL Unix socket that a test can break on purpose.

- :meth:`Proxy.down` / :meth:`Proxy.up`: stop and start listening (new connections
  are refused; open ones are cut) — the server is "unreachable" while nothing
  happens to it;
- :meth:`Proxy.cut_after_commit`: the next statement that calls ``warroom_append``
  is forwarded, the server's whole answer (up to ReadyForQuery, i.e. after the
  commit) is read and thrown away, and the connection is cut: the classic ambiguous
  failure, where the client cannot know whether its write committed.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from urllib.parse import urlencode

#: The ReadyForQuery message (idle): the server has finished the statement.
_READY = b"Z\x00\x00\x00\x05"


class Proxy:
    """Forwards 127.0.0.1:PORT to the Unix socket ``socket_path``."""

    def __init__(self, socket_path: str) -> None:
        """Listen on a free loopback port at once."""
        self.socket_path = socket_path
        self.port = 0
        self.cut_pattern: bytes | None = None
        self.down_after_cut = False
        self.cuts = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self.up()

    def dsn(self, dbname: str = "postgres", **params: str) -> str:
        """A libpq URI through the proxy."""
        query = urlencode({"user": "postgres", "sslmode": "disable", **params})
        return f"postgresql://127.0.0.1:{self.port}/{dbname}?{query}"

    # ------------------------------------------------------------ switching
    def up(self) -> None:
        """Listen (again, on the same port)."""
        with self._lock:
            if self._listener is not None:
                return
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
            self.port = listener.getsockname()[1]
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        """Stop listening and cut every open connection."""
        with self._lock:
            listener, self._listener = self._listener, None
            pairs, self._pairs = self._pairs, []
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for client, server in pairs:
            _close(client, server)

    def cut_after_commit(self, pattern: bytes = b"warroom_append", *, then_down: bool) -> None:
        """Cut the connection of the next statement containing ``pattern`` after it ran."""
        with self._lock:
            self.cut_pattern = pattern
            self.down_after_cut = then_down

    def close(self) -> None:
        """Stop for good."""
        self.down()

    # ------------------------------------------------------------ plumbing
    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                server.connect(self.socket_path)
            except OSError:
                _close(client, server)
                continue
            with self._lock:
                if self._listener is not listener:
                    _close(client, server)
                    return
                self._pairs.append((client, server))
            state = {"cutting": False}
            threading.Thread(target=self._upstream, args=(client, server, state),
                             daemon=True).start()
            threading.Thread(target=self._downstream, args=(client, server, state),
                             daemon=True).start()

    def _upstream(self, client: socket.socket, server: socket.socket,
                  state: dict[str, bool]) -> None:
        seen = b""  # the pattern may straddle two reads
        try:
            while data := client.recv(65536):
                seen = seen[-64:] + data
                with self._lock:
                    if self.cut_pattern is not None and self.cut_pattern in seen:
                        self.cut_pattern = None
                        state["cutting"] = True
                server.sendall(data)
        except OSError:
            pass
        _close(client, server)

    def _downstream(self, client: socket.socket, server: socket.socket,
                    state: dict[str, bool]) -> None:
        seen = b""
        try:
            while data := server.recv(65536):
                if state["cutting"]:
                    seen = (seen + data)[-64:]
                    if _READY in seen:  # committed and answered: the answer is lost
                        with self._lock:
                            self.cuts += 1
                            then_down = self.down_after_cut
                        if then_down:
                            self.down()
                        break
                    continue
                client.sendall(data)
        except OSError:
            pass
        _close(client, server)


def _close(*sockets: socket.socket) -> None:
    for sock in sockets:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
