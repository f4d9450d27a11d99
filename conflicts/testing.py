"""Start a real app server in a subprocess: used by the browser tests and the benchmarks.

Usage::

    with AppServer(data_dir=tmp_path) as server:
        urllib.request.urlopen(server.url + "/_stcore/health").read()  # b'ok'
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


# ------------------------------------------------------------------------------ nginx (deploy/)
NGINX_SITE_TEMPLATE = ROOT / "deploy" / "conflicts.conf.template"

#: The main configuration around the site file for a local nginx: every path inside the prefix
#: (``nginx -p PREFIX``), so no root-only directory is needed; as root it still works.
_NGINX_MAIN = """\
# Rendered by conflicts.testing.NginxProxy: a throw-away nginx for trying deploy/.
${USER}
worker_processes ${WORKERS};
worker_rlimit_nofile 16384;
pid nginx.pid;
error_log error.log warn;
events { worker_connections 8192; }
http {
    access_log ${ACCESS_LOG};
    client_body_temp_path tmp/body;
    proxy_temp_path tmp/proxy;
    fastcgi_temp_path tmp/fastcgi;
    uwsgi_temp_path tmp/uwsgi;
    scgi_temp_path tmp/scgi;
    include conflicts.conf;
}
"""


def render_nginx_site(listen: str | int, apps: list[str]) -> str:
    """The site configuration of ``deploy/conflicts.conf.template`` for these app processes.

    Parameters
    ----------
    listen : what nginx listens on (``80``, ``127.0.0.1:8080``, ``"443 ssl"``).
    apps : the app processes, ``host:port`` each.

    Examples
    --------
    >>> conf = render_nginx_site(8080, ["127.0.0.1:8501", "127.0.0.1:8502"])
    >>> "listen 8080;" in conf and "server 127.0.0.1:8502 max_fails=3" in conf
    True
    """
    from string import Template

    if not apps:
        raise ValueError("at least one app process (host:port) is needed")
    servers = "\n".join(f"    server {a} max_fails=3 fail_timeout=10s;" for a in apps)
    # safe_substitute leaves nginx's own $variables alone.
    return Template(NGINX_SITE_TEMPLATE.read_text()).safe_substitute(
        LISTEN=str(listen), PHONE_SERVERS=servers, PAGE_SERVERS=servers
    )


def find_nginx() -> str | None:
    """The nginx binary (Debian puts it in /usr/sbin, which a non-root PATH may lack)."""
    import shutil

    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


class NginxProxy:
    """nginx with the ``deploy/`` site in front of ``app_ports``, on a free port.

    Runs in the foreground (``daemon off``) of a temporary prefix directory holding its
    configuration, pid, logs and temporary files: no root needed, and none of the system's nginx
    paths are touched.

    Parameters
    ----------
    app_ports : ports of the app processes on 127.0.0.1.
    port : where nginx listens (a free port when None).
    workers : nginx worker processes.
    access_log : keep an access log (``PREFIX/access.log``).

    Examples
    --------
    >>> with AppServer() as a, AppServer() as b, NginxProxy([a.port, b.port]) as proxy:
    ...     urllib.request.urlopen(proxy.url + "/healthz").read()  # doctest: +SKIP
    b'ok'
    """

    def __init__(
        self,
        app_ports: list[int],
        *,
        port: int | None = None,
        workers: int = 1,
        access_log: bool = False,
    ) -> None:
        self.binary = find_nginx()
        if self.binary is None:
            raise RuntimeError("nginx is not installed (Debian: apt-get install -y nginx)")
        self._tmp = tempfile.TemporaryDirectory(prefix="conflicts-nginx-")
        self.prefix = Path(self._tmp.name)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        (self.prefix / "tmp").mkdir()
        (self.prefix / "conflicts.conf").write_text(
            render_nginx_site(f"127.0.0.1:{self.port}", [f"127.0.0.1:{p}" for p in app_ports])
        )
        from string import Template

        main = Template(_NGINX_MAIN).substitute(
            # As root the workers would drop to `nobody`, who cannot enter a 0700 temp directory.
            USER="user root;" if os.geteuid() == 0 else "",
            WORKERS=str(workers),
            ACCESS_LOG="access.log" if access_log else "off",
        )
        self.conf = self.prefix / "nginx.conf"
        self.conf.write_text(main)
        self.args = [
            self.binary, "-p", f"{self.prefix}/", "-c", str(self.conf),
            "-e", str(self.prefix / "error.log"), "-g", "daemon off;",
        ]  # fmt: skip
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 20) -> NginxProxy:
        check = subprocess.run([*self.args, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejects the configuration: {check.stderr}")
        self._out = open(self.prefix / "stderr.log", "ab")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(self.args, stdout=self._out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited with {self.process.returncode}: {self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"nginx did not listen within {timeout}s: {self.log()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown of master and workers
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        if getattr(self, "_out", None):
            self._out.close()

    def pids(self) -> list[int]:
        """The master and its workers (for CPU figures)."""
        if not self.alive():
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [self.process.pid, *map(int, children.read_text().split())]

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        parts = []
        for name in ("error.log", "stderr.log"):
            with contextlib.suppress(OSError):
                parts.append((self.prefix / name).read_text(errors="replace")[-3000:])
        return "\n".join(parts)

    def __enter__(self) -> NginxProxy:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self._tmp.cleanup()


class LocalDeployment:
    """The ``deploy/`` example on one machine: ``processes`` app servers on one database with one
    shared ``CONFLICTS_SECRET_KEY``, behind :class:`NginxProxy`.

    Parameters
    ----------
    database_url : the shared database (PostgreSQL for a real deployment).
    processes : how many app processes.
    secret_key : the shared key that signs voter ids (random when None).
    listen_port : nginx's port (free when None); app_ports likewise.

    Examples
    --------
    >>> with LocalDeployment("postgresql://postgres@127.0.0.1:5432/test") as d:  # doctest: +SKIP
    ...     print(d.url, [a.url for a in d.apps])
    """

    def __init__(
        self,
        database_url: str,
        *,
        processes: int = 2,
        secret_key: str | None = None,
        listen_port: int | None = None,
        app_ports: list[int] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        import secrets

        self.secret_key = secret_key or secrets.token_urlsafe(32)
        ports = app_ports or [free_port() for _ in range(processes)]
        shared = {"CONFLICTS_SECRET_KEY": self.secret_key, **(env or {})}
        self.apps = [AppServer(database_url=database_url, port=p, env=shared) for p in ports]
        self.proxy = NginxProxy(ports, port=listen_port)
        self.url = self.proxy.url

    def start(self) -> LocalDeployment:
        try:
            for app in self.apps:
                app.start()
            self.proxy.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        self.proxy.stop()
        for app in self.apps:
            app.stop()

    def __enter__(self) -> LocalDeployment:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
        self.proxy._tmp.cleanup()
        for app in self.apps:
            if app._tmp:
                app._tmp.cleanup()


def main(argv: list[str] | None = None) -> int:
    """``python -m conflicts.testing render-nginx|run-local``: see deploy/run-local.sh."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m conflicts.testing")
    sub = ap.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render-nginx", help="print the deploy/ site for these processes")
    render.add_argument("--listen", default="80", help="nginx's listen directive (default 80)")
    render.add_argument("--app", action="append", required=True, help="host:port (repeat)")
    run = sub.add_parser("run-local", help="nginx + app processes on one database, until Ctrl-C")
    run.add_argument("--database-url", default=os.environ.get("CONFLICTS_DATABASE_URL"))
    run.add_argument("--processes", type=int, default=2)
    run.add_argument("--listen-port", type=int, default=8080)
    run.add_argument("--app-port", type=int, action="append", help="(repeat; default: free)")
    args = ap.parse_args(argv)
    if args.command == "render-nginx":
        print(render_nginx_site(args.listen, args.app), end="")
        return 0
    if not args.database_url:
        ap.error("run-local needs --database-url or CONFLICTS_DATABASE_URL (e.g. PostgreSQL)")
    deployment = LocalDeployment(
        args.database_url,
        processes=len(args.app_port or []) or args.processes,
        secret_key=os.environ.get("CONFLICTS_SECRET_KEY"),
        listen_port=args.listen_port,
        app_ports=args.app_port,
    )
    # `kill` or a CI timeout sends SIGTERM: leave through the with block, which stops everything.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with deployment:
        print(f"nginx {deployment.url} -> " + ", ".join(a.url for a in deployment.apps))
        print(f"nginx prefix {deployment.proxy.prefix}; Ctrl-C stops everything", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while deployment.proxy.alive() and all(a.alive() for a in deployment.apps):
                time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
