"""Start a real app server in a subprocess: used by the browser tests and the benchmarks.

Usage::

    with AppServer(data_dir=tmp_path) as server:
        urllib.request.urlopen(server.url + "/_stcore/health").read()  # b'ok'
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class AppServer:
    """``streamlit run app.py`` on a free port with its own data directory (or database URL).

    Parameters
    ----------
    data_dir : directory for the SQLite database; a fresh temporary one when None.
    database_url : overrides the database (``CONFLICTS_DATABASE_URL``).
    post_script_gc : Streamlit's ``runner.postScriptGC`` (None: the project's config).
    env : extra environment variables.
    """

    def __init__(
        self,
        *,
        data_dir: str | Path | None = None,
        database_url: str | None = None,
        port: int | None = None,
        post_script_gc: bool | None = None,
        env: dict[str, str] | None = None,
        log_path: str | Path | None = None,
    ) -> None:
        self._tmp = None if data_dir else tempfile.TemporaryDirectory(prefix="conflicts-")
        self.data_dir = Path(data_dir or self._tmp.name)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "CONFLICTS_DATA_DIR": str(self.data_dir), **(env or {})}
        if database_url:
            self.env["CONFLICTS_DATABASE_URL"] = database_url
        self.args = [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
            "--server.headless", "true",
            "--server.port", str(self.port),
            "--server.address", "127.0.0.1",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        if post_script_gc is not None:
            self.args += ["--runner.postScriptGC", str(post_script_gc).lower()]
        self.log_path = Path(log_path) if log_path else self.data_dir / "server.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> AppServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            self.args, cwd=ROOT, env=self.env, stdout=self._log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}: {self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not answer within {timeout}s: {self.log()}")

    def kill(self) -> None:
        """SIGKILL: the abrupt end a restart test needs (no clean shutdown)."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        if getattr(self, "_log", None):
            self._log.close()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def _status_mb(self, field: str) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return 0.0

    def rss_mb(self) -> float:
        """Resident memory of the server process now, in MiB."""
        return self._status_mb("VmRSS")

    def peak_rss_mb(self) -> float:
        """The highest resident memory the server process has had, in MiB."""
        return self._status_mb("VmHWM")

    def __enter__(self) -> AppServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        if self._tmp:
            self._tmp.cleanup()
