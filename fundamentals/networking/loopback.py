"""What the networking pages' servers share: serving on 127.0.0.1 from a thread.

``InBackground`` goes first among a ``socketserver`` server's bases; the server
calls ``serve_in_background()`` at the end of its ``__init__``, and a test
reads ``address`` and calls ``stop()``.
"""

from __future__ import annotations

import socketserver
import threading

Address = tuple[str, int]
# serve_forever notices shutdown() only between polls; 10 ms keeps stop() short.
POLL = 0.01


class InBackground(socketserver.BaseServer):
    """A server that serves from a daemon thread of its own."""

    _thread: threading.Thread

    def serve_in_background(self) -> None:
        """Start serving; ``stop()`` ends it."""
        self._thread = threading.Thread(target=self.serve_forever, args=(POLL,), daemon=True)
        self._thread.start()

    @property
    def address(self) -> Address:
        """The (host, port) it listens on: port 0 was asked for, the kernel chose."""
        where = self.server_address
        assert isinstance(where, tuple), where  # an AF_INET server, never a Unix socket
        return str(where[0]), int(where[1])

    def stop(self) -> None:
        """Stop serving and close the listening socket: new connections are refused."""
        self.shutdown()
        self.server_close()
        self._thread.join(5)
