"""Start and stop a real ``streamlit run`` server for benchmarks and load tests.

    from benchmarks._server import StreamlitServer

    with StreamlitServer("app.py", env={"CONFLICTS_DATA_DIR": tmp},
                         flags={"runner.postScriptGC": "false"}) as srv:
        print(srv.base_url)                     # http://127.0.0.1:PORT
        before = srv.cpu_seconds()              # utime+stime of the server process
        ...                                     # drive it (benchmarks/st_client.py)
        print(srv.cpu_seconds() - before, srv.rss_bytes())

Or functionally: ``proc, base_url = start_server(...)`` ... ``stop_server(proc)``.

Process figures come from ``/proc/PID/stat`` and ``/proc/PID/status`` (Linux;
no psutil needed). They cover all threads of the one server process: the
event loop, the websocket handlers and the script-runner threads.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
_CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

# Flags every benchmark wants: no browser, no file watcher, no usage stats (no network).
DEFAULT_FLAGS: dict[str, str] = {
    "server.headless": "true",
    "server.fileWatcherType": "none",
    "browser.gatherUsageStats": "false",
    "server.address": "127.0.0.1",
}


def free_port() -> int:
    """A TCP port that was free on 127.0.0.1 a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flag_args(flags: Mapping[str, str] | Sequence[str] | None) -> list[str]:
    merged: dict[str, str] = dict(DEFAULT_FLAGS)
    extra: list[str] = []
    if isinstance(flags, Mapping):
        merged.update({k.lstrip("-"): str(v) for k, v in flags.items()})
    elif flags:
        extra = list(flags)  # raw "--runner.postScriptGC", "false", ...
    out: list[str] = []
    for k, v in merged.items():
        if not any(a.lstrip("-").split("=")[0] == k for a in extra):
            out += [f"--{k}", v]
    return out + extra


def wait_healthy(
    base_url: str, proc: subprocess.Popen | None = None, timeout: float = 60.0
) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok``; raise if the process dies or time runs out."""
    deadline = time.monotonic() + timeout
    last_err: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().strip() == b"ok":
                    return
        except Exception as e:  # connection refused while starting
            last_err = e
        time.sleep(0.1)
    raise TimeoutError(f"{base_url} not healthy after {timeout}s ({last_err})")


def start_server(
    app: str | os.PathLike = "app.py",
    *,
    cwd: str | os.PathLike | None = None,
    env: Mapping[str, str] | None = None,
    flags: Mapping[str, str] | Sequence[str] | None = None,
    port: int | None = None,
    timeout: float = 60.0,
    log_path: str | os.PathLike | None = None,
) -> tuple[subprocess.Popen, str]:
    """Start ``python -m streamlit run APP`` and wait until it is healthy.

    ``cwd`` defaults to the repo root (so ``.streamlit/config.toml`` applies;
    command-line ``flags`` override it). ``env`` is added to os.environ.
    Output goes to ``log_path`` (a temp file by default; see ``proc.log_path``).
    Returns (process, base_url).
    """
    port = port or free_port()
    cwd = Path(cwd) if cwd else REPO
    full_env = dict(os.environ)
    full_env.update({k: str(v) for k, v in (env or {}).items()})
    full_env.setdefault("PYTHONUNBUFFERED", "1")
    if log_path is None:
        fd, log_path = tempfile.mkstemp(prefix="streamlit-", suffix=".log")
        os.close(fd)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.port",
        str(port),
        *_flag_args(flags),
    ]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            cmd,
            cwd=cwd,
            env=full_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    proc.log_path = str(log_path)  # type: ignore[attr-defined]
    proc.cmd = cmd  # type: ignore[attr-defined]
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base_url, proc, timeout)
    except Exception as e:
        stop_server(proc)
        raise RuntimeError(f"{e}\n--- server log ({log_path}) ---\n{log_tail(proc)}") from e
    return proc, base_url


def stop_server(proc: subprocess.Popen, timeout: float = 10.0) -> int | None:
    """SIGTERM the server (its own process group), SIGKILL after ``timeout``; return the exit code."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)
    return proc.returncode


def log_tail(proc: subprocess.Popen, n: int = 40) -> str:
    path = getattr(proc, "log_path", None)
    if not path or not os.path.exists(path):
        return ""
    with open(path, errors="replace") as f:
        return "".join(f.readlines()[-n:])


def cpu_seconds(pid: int) -> float:
    """utime + stime of process ``pid`` (all its threads), in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    fields = stat[stat.rindex(")") + 2 :].split()  # the command name may contain spaces
    utime, stime = int(fields[11]), int(fields[12])  # fields 14 and 15 of proc(5)
    return (utime + stime) / _CLK_TCK


def rss_bytes(pid: int) -> int:
    """Resident set size (VmRSS) of ``pid`` in bytes."""
    return _status_kb(pid, "VmRSS") * 1024


def peak_rss_bytes(pid: int) -> int:
    """High-water mark of the resident set (VmHWM) in bytes."""
    return _status_kb(pid, "VmHWM") * 1024


def _status_kb(pid: int, name: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(name + ":"):
                return int(line.split()[1])
    return 0


class StreamlitServer:
    """Context manager around start_server/stop_server with process figures."""

    def __init__(self, app: str | os.PathLike = "app.py", **kwargs) -> None:
        self.app = app
        self.kwargs = kwargs
        self.proc: subprocess.Popen | None = None
        self.base_url = ""

    def start(self) -> StreamlitServer:
        self.proc, self.base_url = start_server(self.app, **self.kwargs)
        return self

    def stop(self) -> None:
        if self.proc is not None:
            stop_server(self.proc)

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def rss_bytes(self) -> int:
        return rss_bytes(self.pid)

    def peak_rss_bytes(self) -> int:
        return peak_rss_bytes(self.pid)

    def log_tail(self, n: int = 40) -> str:
        return log_tail(self.proc, n) if self.proc else ""
