"""A TCP proxy between the app and a shared server, to cut and restore it in outage tests and drills.

    with TcpProxy(("127.0.0.1", 5432)) as proxy:     # listens on 127.0.0.1:proxy.port
        url = f"postgresql+psycopg://postgres@127.0.0.1:{proxy.port}/test"
        proxy.cut()        # open connections are reset, new ones refused: the server "went down"
        proxy.cut(hang=True)  # new connections are accepted and never answered: a host dropping packets
        proxy.restore()    # new connections reach the server again

Cutting only touches the proxy's own sockets: the shared server and the other clients of it never notice.
Threads, not asyncio, so it works beside sync Playwright and inside any test.
"""

from __future__ import annotations

import socket
import struct
import threading
from contextlib import suppress


class TcpProxy:
    def __init__(self, target: tuple[str, int], *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.target = target
        self._host = host
        self._port = port
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()  # every accepted and upstream socket now open
        self._listener: socket.socket | None = None
        self._mode = "up"  # "up", "refuse" or "hang"
        self._closed = False
        self.connections = 0  # accepted and forwarded, for tests that want to see traffic

    # -- control ------------------------------------------------------------------------------------
    def start(self) -> TcpProxy:
        self._listen()
        return self

    @property
    def port(self) -> int:
        return self._port

    def cut(self, *, hang: bool = False) -> None:
        """Reset every open connection; refuse new ones (``hang``: accept them and never answer)."""
        with self._lock:
            self._mode = "hang" if hang else "refuse"
            sockets, self._sockets = self._sockets, set()
            listener = None
            if not hang:
                listener, self._listener = self._listener, None
            listening = self._listener is not None
        if listener is not None:
            _stop_listening(listener)
        for sock in sockets:
            _hard_close(sock)
        if hang and not listening:
            self._listen()

    def restore(self) -> None:
        with self._lock:
            self._mode = "up"
            listening = self._listener is not None
            sockets, self._sockets = (self._sockets, set())
        for sock in sockets:  # connections held while hanging
            _hard_close(sock)
        if not listening:
            self._listen()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            listener, self._listener = self._listener, None
            sockets, self._sockets = self._sockets, set()
        if listener is not None:
            _stop_listening(listener)
        for sock in sockets:
            _hard_close(sock)

    def __enter__(self) -> TcpProxy:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- plumbing -----------------------------------------------------------------------------------
    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self._host, self._port))
        listener.listen(128)
        self._port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), name="tcp-proxy-accept", daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # closed by cut() or close()
                return
            with self._lock:
                mode, closed = self._mode, self._closed
                if not closed:
                    self._sockets.add(client)
            if closed or mode == "refuse":
                _hard_close(client)
                continue
            if mode == "hang":
                continue  # held open, never answered, until restore() or close()
            threading.Thread(target=self._connect, args=(client,), name="tcp-proxy-conn", daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
        except OSError:
            self._drop(client)
            return
        with self._lock:
            if self._mode != "up" or client not in self._sockets:
                upstream.close()
                return
            self._sockets.add(upstream)
            self.connections += 1
        for source, sink in ((client, upstream), (upstream, client)):
            pump = threading.Thread(target=self._pump, args=(source, sink), name="proxy-pump", daemon=True)
            pump.start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        self._drop(source)
        self._drop(sink)

    def _drop(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.discard(sock)
        _hard_close(sock)


def _stop_listening(listener: socket.socket) -> None:
    # shutdown() wakes the thread blocked in accept(); close() alone does not on Linux.
    with suppress(OSError):
        listener.shutdown(socket.SHUT_RDWR)
    listener.close()


def _hard_close(sock: socket.socket) -> None:
    """End the connection now, as a server process that dies leaves its clients. shutdown() first: a
    pump thread blocked in recv() on it would keep a bare close() from reaching the peer."""
    with suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with suppress(OSError):
        sock.close()
