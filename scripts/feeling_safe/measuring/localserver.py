"""Small helpers for servers started on loopback (the bench's nginx, the tests' nginx)."""
from __future__ import annotations

import socket
import subprocess
import time


def free_port() -> int:
    """A loopback port nobody is listening on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, server: subprocess.Popen, timeout: float = 10) -> None:
    """Return once `port` accepts connections; raise with the server's stderr if it died or never came up."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                _, err = server.communicate()
                err = err.decode() if isinstance(err, bytes) else (err or "")
                raise RuntimeError(f"server on port {port} did not start: {err}") from None
            time.sleep(0.05)
