"""A small asyncio client that drives a real Streamlit server without a browser.

It speaks Streamlit's own websocket protocol (``/_stcore/stream``, subprotocol
``streamlit``, protobuf ``BackMsg`` up / ``ForwardMsg`` down), the way the
browser frontend does, so load tests and benchmarks can simulate many users
from one process. Dependencies: ``websockets`` and ``streamlit`` (for its
protobuf classes only).

Usage::

    import asyncio
    from benchmarks.st_client import StreamlitClient, fetch_cookie

    async def main():
        base = "http://127.0.0.1:8501"
        cookies = fetch_cookie(base, "/")          # {"voter": "..."} set by middleware
        async with StreamlitClient(base, cookies=cookies) as c:
            r = await c.open("/facilitate", query="code=ABC")   # like typing the URL
            print(r.rtt, c.texts())                       # markdown/heading/... bodies
            await c.set_value("unlock_key", "KEY")        # text_input with key="unlock_key"
            r = await c.click(label="Unlock")             # a button found by its label
            r = await c.click(label="Add one")            # or find a widget by label
            await c.set_value("vote", "yes")              # segmented_control / pills / selectbox
            for r in await c.tick_fragments():            # what st.fragment(run_every=...) makes a browser do
                print(r.rtt)
            print(c.rtts)                                 # every round trip so far (seconds)

    asyncio.run(main())

Protocol facts this client relies on (Streamlit 1.67):

* Nothing is sent on connect: the client must send a ``rerun_script`` first.
* Opening ``/projector?code=ABC`` in a browser sends ``ClientState(page_name="projector",
  page_script_hash="", query_string="code=ABC")``. Later reruns (widget
  interactions) send ``page_script_hash`` = the current page's hash and
  ``page_name=""``. The page hash is ``ForwardMsg.navigation.page_script_hash``
  (for ``st.navigation`` apps); ``new_session.page_script_hash`` is the *main
  script's* hash there, not the page's.
* The default page of ``st.navigation`` has ``url_pathname == ""``: opening
  ``/<its url_path>`` gets a ``page_not_found`` message and the default page.
* Widget ids are ``$$ID-<hash>-<key>`` (``-None`` when no key was given).
* Widget values travel as the *formatted option strings* for selectbox, radio,
  multiselect, segmented_control and pills; ``double_value`` for number_input;
  ``double_array_value`` for slider; ``trigger_value`` for buttons.
* The browser re-sends all current widget values with every rerun; buttons
  are one-shot triggers. A widget inside a fragment reruns only that fragment
  (``fragment_id``); ``ForwardMsg.auto_rerun`` announces ``run_every``
  fragments and the browser then asks for them with ``is_auto_rerun=True``.
* Latency floor of ~40 ms per rerun: Streamlit 1.67 binds its listening
  socket with ``socket.socket(family)`` (proto 0), so asyncio's
  ``_set_nodelay`` skips the accepted sockets and Nagle stays on. The server
  writes ``new_session`` first and the rest a few ms later; that write waits
  for the client's delayed ACK (40 ms on Linux). Browsers see this too.
  ``StreamlitClient(quickack=True)`` hides it to measure the server alone.
* A script that calls ``st.rerun()`` sends ``script_finished`` with
  ``FINISHED_EARLY_FOR_RERUN`` first; the round trip ends at the next final
  ``script_finished``.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import time
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

__all__ = [
    "Element",
    "Page",
    "RunResult",
    "StreamlitClient",
    "StreamlitClientError",
    "cookie_header",
    "fetch_cookie",
]

FINISHED_SUCCESSFULLY = ForwardMsg.FINISHED_SUCCESSFULLY
FINISHED_WITH_COMPILE_ERROR = ForwardMsg.FINISHED_WITH_COMPILE_ERROR
FINISHED_EARLY_FOR_RERUN = ForwardMsg.FINISHED_EARLY_FOR_RERUN
FINISHED_FRAGMENT_RUN_SUCCESSFULLY = ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY

# Element kinds (``Element.WhichOneof("type")``) whose text we expose via texts().
_TEXT_KINDS = {"markdown", "heading", "text", "code", "alert", "toast", "exception", "metric"}
# Value-carrying widgets by the WidgetState field they use.
_TRIGGER_KINDS = {"button", "download_button"}
_BOOL_KINDS = {"checkbox"}
_STRING_KINDS = {
    "text_input",
    "text_area",
    "selectbox",
    "radio",
    "color_picker",
    "time_input",
    "feedback",
    "plotly_chart",
    "vega_lite_chart",
    "deck_gl_json_chart",
    "echarts_chart",
    "dataframe",
}
_STRING_ARRAY_KINDS = {"button_group", "multiselect", "select_slider", "date_input"}
_DOUBLE_KINDS = {"number_input"}
_DOUBLE_ARRAY_KINDS = {"slider"}
_INT_KINDS = {"pagination"}


class StreamlitClientError(RuntimeError):
    """Protocol-level failure: timeout, closed socket, widget not found."""


@dataclass
class Element:
    """One element (widget or not) the server delivered in a run.

    ``kind`` is the ``Element`` oneof name (``"button"``, ``"markdown"``,
    ``"button_group"`` for segmented_control/pills, ...). ``id`` is the widget
    id (empty for non-widgets), ``key`` the user key parsed from the id
    (``None`` for unkeyed widgets), ``text`` the markdown/heading/alert body.
    ``proto`` is the raw sub-message (e.g. ``proto.options`` of a selectbox).
    """

    kind: str
    path: tuple[int, ...]
    id: str = ""
    key: str | None = None
    label: str = ""
    text: str = ""
    form_id: str = ""
    fragment_id: str = ""
    proto: Any = None

    @property
    def is_widget(self) -> bool:
        return bool(self.id)


@dataclass
class Page:
    """A page announced by ``st.navigation`` (``ForwardMsg.navigation.app_pages``)."""

    title: str
    url_pathname: str  # "" for the default page
    page_script_hash: str
    is_default: bool
    is_hidden: bool
    section: str = ""

    @property
    def path(self) -> str:
        """URL path as a browser shows it: "/" for the default page, "/catalogue", ..."""
        return "/" + self.url_pathname


@dataclass
class RunResult:
    """What one request (rerun_script BackMsg) produced.

    ``rtt`` is seconds from send to the final ``script_finished``; ``status``
    that message's ``ScriptFinishedStatus`` (0 full run OK, 3 fragment run OK,
    1 compile error). ``exceptions`` holds the messages of ``st.exception``
    elements (uncaught errors in the page). ``elements`` are the elements
    delivered by this run only (for a fragment run: the fragment's).
    """

    rtt: float
    status: int
    elements: list[Element] = field(default_factory=list)
    messages: int = 0
    bytes: int = 0
    runs: int = 1  # >1 when the script called st.rerun()
    page_not_found: bool = False
    exceptions: list[str] = field(default_factory=list)
    fragment_id: str = ""

    @property
    def ok(self) -> bool:
        return (
            self.status in (FINISHED_SUCCESSFULLY, FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
            and not self.exceptions
        )


def _split_key(widget_id: str) -> str | None:
    # "$$ID-<md5>-<user key>"; the user key may itself contain "-".
    if not widget_id.startswith("$$ID-"):
        return None
    parts = widget_id.split("-", 2)
    if len(parts) < 3 or parts[2] == "None":
        return None
    return parts[2]


def _element_from_delta(fwd: ForwardMsg) -> Element | None:
    delta = fwd.delta
    if delta.WhichOneof("type") != "new_element":
        return None
    el = delta.new_element
    kind = el.WhichOneof("type")
    if kind is None:
        return None
    sub = getattr(el, kind)
    wid = getattr(sub, "id", "") if hasattr(sub, "id") else ""
    if not isinstance(wid, str):
        wid = ""
    text = ""
    if kind == "exception":
        text = f"{sub.type}: {sub.message}"
    elif kind == "metric":
        text = f"{sub.label}: {sub.body}"
    elif hasattr(sub, "body") and isinstance(sub.body, str):
        text = sub.body
    label = getattr(sub, "label", "") if hasattr(sub, "label") else ""
    return Element(
        kind=kind,
        path=tuple(fwd.metadata.delta_path),
        id=wid,
        key=_split_key(wid),
        label=label if isinstance(label, str) else "",
        text=text,
        form_id=getattr(sub, "form_id", "") if hasattr(sub, "form_id") else "",
        fragment_id=delta.fragment_id,
        proto=sub,
    )


def cookie_header(cookies: Mapping[str, str] | str | None) -> str | None:
    """Turn {"a": "1", "b": "2"} into "a=1; b=2" (strings pass through)."""
    if cookies is None or isinstance(cookies, str):
        return cookies or None
    return "; ".join(f"{k}={v}" for k, v in cookies.items()) or None


def fetch_cookie(
    base_url: str,
    path: str = "/",
    *,
    cookies: Mapping[str, str] | str | None = None,
    timeout: float = 10.0,
) -> dict[str, str]:
    """GET ``base_url + path`` and return the cookies its ``Set-Cookie`` headers set.

    This is how a simulated browser gets the cookie a Starlette middleware sets
    on the HTML page (e.g. a per-device voter id); pass the result as
    ``StreamlitClient(cookies=...)``. ``cookies`` are sent along (a returning
    visitor). Redirects are not followed (their Set-Cookie counts too).
    """
    u = urllib.parse.urlsplit(base_url)
    conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)
    headers = {"Accept": "text/html"}
    ch = cookie_header(cookies)
    if ch:
        headers["Cookie"] = ch
    try:
        conn.request("GET", (u.path.rstrip("/") + path) or "/", headers=headers)
        resp = conn.getresponse()
        resp.read()
        jar: dict[str, str] = {}
        for value in resp.headers.get_all("Set-Cookie") or []:
            sc = SimpleCookie()
            sc.load(value)
            for name, morsel in sc.items():
                jar[name] = morsel.value
        return jar
    finally:
        conn.close()


class StreamlitClient:
    """One simulated browser tab: one websocket session with its own cookies.

    Parameters
    ----------
    base_url: ``http://HOST:PORT`` of the server (``ws://`` is derived).
    cookies: dict or ``"a=1; b=2"`` string sent as the ``Cookie`` header of the
        websocket upgrade (what ``st.context.cookies`` sees).
    headers: extra upgrade headers (e.g. ``{"Accept-Language": ...}``).
    locale, timezone: sent in ``ClientState.context_info`` like a browser
        (``st.context.locale`` / ``st.context.timezone``).
    timeout: seconds to wait for a run to finish before raising.
    quickack: set TCP_QUICKACK before every read (Linux). The server writes
        with Nagle on (see module docstring), so a client with delayed ACKs
        (every browser, and this client by default) waits ~40 ms per rerun;
        quickack=True measures the server's own latency instead.
    """

    def __init__(
        self,
        base_url: str,
        *,
        cookies: Mapping[str, str] | str | None = None,
        headers: Mapping[str, str] | None = None,
        locale: str = "en-US",
        timezone: str = "UTC",
        timeout: float = 60.0,
        quickack: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        u = urllib.parse.urlsplit(self.base_url)
        scheme = "wss" if u.scheme == "https" else "ws"
        self.ws_url = f"{scheme}://{u.netloc}{u.path}/_stcore/stream"
        self._headers = dict(headers or {})
        ch = cookie_header(cookies)
        if ch:
            self._headers["Cookie"] = ch
        self.locale = locale
        self.timezone = timezone
        self.timeout = timeout
        self.quickack = quickack and hasattr(socket, "TCP_QUICKACK")
        self._sock: socket.socket | None = None
        self.ws: Any = None
        # Browser-side state.
        self.path = "/"
        self.query_string = ""
        self.page_script_hash = ""  # current page ("" until the first run)
        self.main_script_hash = ""
        self.pages: list[Page] = []
        self.elements: dict[tuple[int, ...], Element] = {}  # current page content by delta path
        self.fragments_auto: dict[str, float] = {}  # fragment_id -> run_every seconds
        self._widget_values: dict[str, WidgetState] = {}
        self._form_pending: dict[str, dict[str, WidgetState]] = {}
        self.rtts: list[float] = []
        self.last: RunResult | None = None

    # ----------------------------------------------------------- connection
    async def connect(self) -> StreamlitClient:
        """Open the websocket (no script runs until open()/rerun())."""
        self.ws = await websockets.connect(
            self.ws_url,
            subprotocols=["streamlit"],
            additional_headers=self._headers or None,
            max_size=None,
            open_timeout=self.timeout,
            ping_interval=None,  # the server does its own keepalive; avoid pings in benchmarks
        )
        self._sock = self.ws.transport.get_extra_info("socket")
        return self

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    async def __aenter__(self) -> StreamlitClient:
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # ----------------------------------------------------------- navigation
    async def open(
        self, path: str = "/", query: str | Mapping[str, str] | None = None
    ) -> RunResult:
        """Load a URL the way a browser does on a fresh page load.

        ``path`` is the URL path ("/", "/projector"); it may carry the query
        ("/projector?code=ABC") or pass ``query`` (string or dict). Sends
        ``page_name=<path without "/">``, ``page_script_hash=""``; the server
        resolves the page against ``st.navigation``'s url paths.
        """
        if "?" in path:
            path, _, qs = path.partition("?")
            query = query or qs
        if isinstance(query, Mapping):
            query = urllib.parse.urlencode(query)
        self.path = "/" + path.strip("/")
        self.query_string = (query or "").lstrip("?")
        self.page_script_hash = ""
        self._widget_values.clear()
        self._form_pending.clear()
        return await self._run(page_name=self.path.strip("/"), page_script_hash="")

    async def switch_page(
        self, path_or_title: str, query: str | Mapping[str, str] | None = None
    ) -> RunResult:
        """In-app navigation (sidebar/top nav, st.page_link): rerun with the page's hash.

        Needs the page list from a previous run (``self.pages``).
        """
        page = self.find_page(path_or_title)
        if isinstance(query, Mapping):
            query = urllib.parse.urlencode(query)
        self.path = page.path
        self.query_string = query or ""
        self._widget_values.clear()
        self._form_pending.clear()
        return await self._run(page_name="", page_script_hash=page.page_script_hash)

    def find_page(self, path_or_title: str) -> Page:
        p = path_or_title.strip("/")
        for page in self.pages:
            if page.url_pathname == p or page.title == path_or_title:
                return page
        raise StreamlitClientError(
            f"no page {path_or_title!r}; pages: {[x.path for x in self.pages]}"
        )

    # ----------------------------------------------------------- reruns
    async def rerun(
        self,
        *,
        fragment_id: str = "",
        is_auto_rerun: bool = False,
        triggers: Iterable[WidgetState] = (),
    ) -> RunResult:
        """Rerun the current page with the current widget values (like a widget change).

        ``fragment_id`` reruns one fragment only; ``triggers`` are one-shot
        states (button clicks) sent with this rerun only.
        """
        return await self._run(
            page_name="",
            page_script_hash=self.page_script_hash,
            fragment_id=fragment_id,
            is_auto_rerun=is_auto_rerun,
            triggers=list(triggers),
        )

    async def tick_fragments(self) -> list[RunResult]:
        """Run every ``st.fragment(run_every=...)`` fragment once, as the browser's timer does."""
        out = []
        for fid in list(self.fragments_auto):
            out.append(await self.rerun(fragment_id=fid, is_auto_rerun=True))
        return out

    # ----------------------------------------------------------- widgets
    def widgets(self) -> list[Element]:
        return [e for e in self.elements.values() if e.is_widget]

    def find_all(
        self,
        key: str | None = None,
        *,
        label: str | None = None,
        kind: str | None = None,
        text: str | None = None,
    ) -> list[Element]:
        """Elements of the current page matching all given criteria.

        ``key``: exact user key (or a widget id); ``label``: exact label, or a
        substring when no exact match; ``kind``: element type; ``text``:
        substring of the body (markdown etc.).
        """
        els = sorted(self.elements.values(), key=lambda e: e.path)
        if key is not None:
            els = [e for e in els if e.key == key or e.id == key]
        if kind is not None:
            els = [e for e in els if e.kind == kind]
        if label is not None:
            exact = [e for e in els if e.label == label]
            els = exact or [e for e in els if label in e.label]
        if text is not None:
            els = [e for e in els if text in e.text]
        return els

    def find(
        self,
        key: str | None = None,
        *,
        label: str | None = None,
        kind: str | None = None,
        text: str | None = None,
    ) -> Element:
        """The first element matching (see find_all); raises with the widget list if none."""
        els = self.find_all(key, label=label, kind=kind, text=text)
        if not els:
            have = [(e.kind, e.key, e.label) for e in self.widgets()]
            raise StreamlitClientError(
                f"no element key={key!r} label={label!r} kind={kind!r} text={text!r} on {self.path}; "
                f"widgets: {have}"
            )
        return els[0]

    def _resolve(
        self, target: Element | str | None, label: str | None, kind: str | None
    ) -> Element:
        if isinstance(target, Element):
            return target
        return self.find(target, label=label, kind=kind)

    async def click(
        self,
        target: Element | str | None = None,
        *,
        label: str | None = None,
        kind: str | None = None,
    ) -> RunResult:
        """Click a button (``trigger_value=True``) found by key or label.

        A form's submit button also sends the values set in that form.
        A button inside a fragment reruns just that fragment, like the browser.
        """
        el = self._resolve(target, label, kind)
        if el.form_id and el.kind == "button":
            self._widget_values.update(self._form_pending.pop(el.form_id, {}))
        ws = WidgetState(id=el.id, trigger_value=True)
        return await self.rerun(fragment_id=el.fragment_id, triggers=[ws])

    async def set_value(
        self,
        target: Element | str | None,
        value: Any = None,
        *,
        label: str | None = None,
        kind: str | None = None,
        rerun: bool | None = None,
    ) -> RunResult | None:
        """Set a widget's value and rerun (what a user edit does).

        Types by widget: text_input/text_area -> str; number_input -> float;
        checkbox/toggle -> bool; selectbox/radio -> option (its formatted
        string); segmented_control/pills/multiselect -> option or list of
        options; slider -> number or (lo, hi); feedback -> int.
        Widgets inside a form are only stored until the form's submit button
        is clicked (``rerun`` overrides: False = store only, True = rerun now).
        Returns the RunResult, or None when it did not rerun.
        """
        el = self._resolve(target, label, kind)
        ws = self.widget_state(el, value)
        if el.form_id and rerun is not True:
            self._form_pending.setdefault(el.form_id, {})[el.id] = ws
            return None
        if ws.WhichOneof("value") == "trigger_value":
            return await self.rerun(fragment_id=el.fragment_id, triggers=[ws])
        self._widget_values[el.id] = ws
        if rerun is False:
            return None
        return await self.rerun(fragment_id=el.fragment_id)

    def set_raw(self, widget_id: str, **fields: Any) -> WidgetState:
        """Store a raw WidgetState (e.g. ``string_value=json``) to send with the next rerun."""
        ws = WidgetState(id=widget_id, **fields)
        self._widget_values[widget_id] = ws
        return ws

    @staticmethod
    def widget_state(el: Element, value: Any) -> WidgetState:
        """Build the WidgetState a browser would send for ``value`` on ``el``."""
        ws = WidgetState(id=el.id)
        k = el.kind
        if k in _TRIGGER_KINDS:
            ws.trigger_value = True
        elif k in _BOOL_KINDS:
            ws.bool_value = bool(value)
        elif k in _DOUBLE_KINDS:
            ws.double_value = float(value)
        elif k in _INT_KINDS:
            ws.int_value = int(value)
        elif k in _DOUBLE_ARRAY_KINDS:
            vals = list(value) if isinstance(value, (list, tuple)) else [value]
            ws.double_array_value.data.extend(float(v) for v in vals)
        elif k in _STRING_ARRAY_KINDS:
            if value is None:
                vals = []
            elif isinstance(value, (list, tuple, set)):
                vals = list(value)
            else:
                vals = [value]
            ws.string_array_value.data.extend(str(v) for v in vals)
        elif k in _STRING_KINDS:
            ws.string_value = "" if value is None else str(value)
        else:
            raise StreamlitClientError(f"don't know how to set a {k!r}; use set_raw()")
        return ws

    # ----------------------------------------------------------- content
    def texts(self, kind: str | None = None) -> list[str]:
        """Bodies of markdown/heading/text/alert/... elements on the current page, in page order."""
        els = sorted(self.elements.values(), key=lambda e: e.path)
        return [
            e.text for e in els if (e.kind == kind if kind else e.kind in _TEXT_KINDS) and e.text
        ]

    # ----------------------------------------------------------- core
    def _client_state_msg(
        self,
        page_name: str,
        page_script_hash: str,
        fragment_id: str,
        is_auto_rerun: bool,
        triggers: list[WidgetState],
    ) -> bytes:
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query_string
        cs.page_script_hash = page_script_hash
        cs.page_name = page_name
        cs.fragment_id = fragment_id
        cs.is_auto_rerun = is_auto_rerun
        states = {w.id: w for w in self._widget_values.values()}
        for t in triggers:
            states[t.id] = t
        cs.widget_states.widgets.extend(states.values())
        ci = cs.context_info
        url = self.base_url + self.path
        if self.query_string:
            url += "?" + self.query_string
        ci.url = url
        ci.locale = self.locale
        ci.timezone = self.timezone
        ci.timezone_offset = 0
        ci.is_embedded = False
        return msg.SerializeToString()

    async def _run(
        self,
        *,
        page_name: str,
        page_script_hash: str,
        fragment_id: str = "",
        is_auto_rerun: bool = False,
        triggers: list[WidgetState] | None = None,
    ) -> RunResult:
        if self.ws is None:
            await self.connect()
        data = self._client_state_msg(
            page_name, page_script_hash, fragment_id, is_auto_rerun, triggers or []
        )
        t0 = time.perf_counter()
        await self.ws.send(data)
        res = RunResult(rtt=0.0, status=-1, fragment_id=fragment_id, runs=0)
        deadline = t0 + self.timeout
        while True:
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise StreamlitClientError(
                    f"no script_finished within {self.timeout}s on {self.path}"
                )
            if self.quickack and self._sock is not None:
                self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
            try:
                raw = await asyncio.wait_for(self.ws.recv(), remaining)
            except TimeoutError as e:
                raise StreamlitClientError(
                    f"no script_finished within {self.timeout}s on {self.path}"
                ) from e
            except websockets.ConnectionClosed as e:
                raise StreamlitClientError(f"websocket closed: {e}") from e
            res.messages += 1
            res.bytes += len(raw)
            fwd = ForwardMsg.FromString(raw)
            t = fwd.WhichOneof("type")
            if t == "new_session":
                res.runs += 1
                self.main_script_hash = fwd.new_session.main_script_hash
                run_fragments = set(fwd.metadata.run.fragment_ids)
                if not run_fragments and not fragment_id:
                    # A full run starts: the page is rebuilt from scratch.
                    self.elements.clear()
                    self.fragments_auto.clear()
                    res.elements.clear()
                else:
                    # A fragment run replaces that fragment's content only.
                    run_fragments.add(fragment_id)
                    for p in [
                        p for p, e in self.elements.items() if e.fragment_id in run_fragments
                    ]:
                        del self.elements[p]
                if not self.pages:
                    self.page_script_hash = (
                        fwd.new_session.page_script_hash or self.page_script_hash
                    )
            elif t == "navigation":
                nav = fwd.navigation
                self.pages = [
                    Page(
                        p.page_name,
                        p.url_pathname,
                        p.page_script_hash,
                        p.is_default,
                        p.is_hidden,
                        p.section_header,
                    )
                    for p in nav.app_pages
                    if not p.external_url
                ]
                self.page_script_hash = nav.page_script_hash
                for p in self.pages:
                    if p.page_script_hash == nav.page_script_hash:
                        self.path = p.path
            elif t == "page_not_found":
                res.page_not_found = True
            elif t == "page_info_changed":
                # st.query_params changed: the browser rewrites its URL.
                self.query_string = fwd.page_info_changed.query_string
            elif t == "auto_rerun":
                self.fragments_auto[fwd.auto_rerun.fragment_id] = fwd.auto_rerun.interval
            elif t == "stop_auto_rerun":
                for fid in fwd.stop_auto_rerun.fragment_ids:
                    self.fragments_auto.pop(fid, None)
            elif t == "delta":
                path = tuple(fwd.metadata.delta_path)
                el = _element_from_delta(fwd)
                if el is not None:
                    self.elements[path] = el
                    res.elements.append(el)
                    if el.kind == "exception":
                        res.exceptions.append(el.text)
            elif t == "ref_hash":  # only when the client announces cached_message_hashes
                raise StreamlitClientError(
                    "server sent a ref_hash message; this client caches nothing"
                )
            elif t == "script_finished":
                status = fwd.script_finished
                if status == FINISHED_EARLY_FOR_RERUN:
                    continue  # st.rerun()/switch_page: the next run follows on its own
                res.status = status
                break
        res.rtt = time.perf_counter() - t0
        if res.status == FINISHED_SUCCESSFULLY:
            # The browser forgets the values of widgets that are gone.
            live = {e.id for e in self.elements.values() if e.id}
            for wid in [w for w in self._widget_values if w not in live]:
                del self._widget_values[wid]
        self.rtts.append(res.rtt)
        self.last = res
        return res
