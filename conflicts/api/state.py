"""The public state of a workshop, read once per workshop per process, and long polling.

Every phone asks for the same thing, so one process answers all of them from one read:

* :meth:`StateHub.state` builds :class:`~conflicts.api.models.State` at most once per
  ``CACHE_S`` per workshop and language (concurrent askers wait for the same build; the
  values are kept in a :class:`~conflicts.shared_reads.SharedReads`, as the regional
  projector's).
* :meth:`StateHub.wait` parks a request until the workshop's ``revision`` (facilitator
  changes) differs from the one the caller has, or ``timeout`` passes. One watcher task per
  workshop and process reads the two counters every ``WATCH_S`` while anybody waits, and wakes
  every waiter at once. Ballots move ``tally_revision`` only: they wake no phone.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool

import conflicts.api.domain as domain
from conflicts import workshops as ws
from conflicts.api.models import AgendaEntry, ItemCard, ItemResult, Option, State
from conflicts.i18n import t
from conflicts.shared_reads import CACHE_S, SharedReads

WATCH_S = 0.2
MAX_WAIT_S = 30.0
#: How long a long poll is held by default: under the usual 30-60 s proxy timeouts.
DEFAULT_WAIT_S = 25.0


def item_kind(item: ws.AgendaItem, cat) -> str:
    if item.is_warmup:
        return "warmup"
    if item.is_matrix:
        return "matrix"
    interaction = cat.interactions_by_id.get(item.interaction_id)
    if interaction is None or interaction.score == 0:
        return "neutral"
    return "conflict" if interaction.score < 0 else "synergy"


def item_title(item: ws.AgendaItem, cat, lang: str) -> str:
    if item.is_warmup:
        return item.question_text(lang)
    if item.is_matrix:
        return t("matrix.title", lang, n=len(item.nodes))
    interaction = cat.interactions_by_id.get(item.interaction_id)
    return cat.text(interaction.title, lang) if interaction else item.interaction_id


def options(w: ws.Workshop, item: ws.AgendaItem, lang: str) -> list[Option]:
    """The values a ballot on ``item`` may take, with their labels."""
    cat = w.catalogue()
    if item.is_matrix:
        return score_options()
    if item.is_warmup:
        goals = ws.warmup_options(cat)
        return [
            Option(value=i, label=cat.text(cat.goals_by_id[g].title, lang))
            for i, g in enumerate(goals)
        ]
    if w.method == "rating":
        return [Option(value=v, label=str(v)) for v in range(1, 6)]
    if w.method == "score":
        return score_options()
    if w.method == "dots":
        return [Option(value=v, label=str(v)) for v in range(w.dot_budget + 1)]
    return []  # ranking: a ballot orders items


def score_options() -> list[Option]:
    """−3..+3 labelled with their sign (a true minus sign)."""
    return [Option(value=v, label=f"{v:+d}".replace("-", "−") if v else "0") for v in range(-3, 4)]


def question(w: ws.Workshop, item: ws.AgendaItem, lang: str) -> str:
    if item.is_matrix:
        return t("matrix.question_generic", lang)
    if item.is_warmup:
        return t("ws.warmup_pick", lang)
    if w.method == "dots":
        return t("ws.question_dots", lang, budget=w.dot_budget)
    if w.method == "ranking":
        return t("ws.question_ranking", lang, n=w.ranking_size)
    return t(f"ws.question_{w.method}", lang)


def card(w: ws.Workshop, item: ws.AgendaItem, lang: str) -> ItemCard:
    cat = w.catalogue()
    return ItemCard(
        item_id=item.id,
        title=item_title(item, cat, lang),
        kind=item_kind(item, cat),
        voting=item.voting,
        question=question(w, item, lang),
        options=options(w, item, lang),
        nodes=list(item.nodes) if item.is_matrix else None,
    )


def votable(w: ws.Workshop) -> list[ws.AgendaItem]:
    """The items a phone shows cards for now: the current one if its voting is open (follow
    mode), every open item (free mode); none unless the workshop is open."""
    if w.status != "open":
        return []
    if w.mode == "follow":
        current = w.current_item
        return [current] if current is not None and current.voting == "open" else []
    return [i for i in w.items if i.voting == "open"]


def build_state(w: ws.Workshop, tally: ws.WorkshopTally | None, lang: str) -> State:
    cat = w.catalogue()
    current = w.current_item
    results = None
    if tally is not None:
        results = [
            ItemResult(
                item_id=i.item_id,
                ballots=i.ballots,
                skips=i.skips,
                mean=i.mean,
                median=i.median,
                total=i.total,
                rank=i.rank,
                distribution={str(k): v for k, v in i.distribution.items()},
            )
            for i in tally.items
        ]
    return State(
        code=w.code,
        title=w.title,
        status=w.status,
        revision=w.revision,
        tally_revision=tally.tally_revision if tally is not None else w.tally_revision,
        mode=w.mode,
        method=w.method,
        dot_budget=w.dot_budget,
        ranking_size=w.ranking_size,
        results_hidden=w.hide_results_until_closed,
        agenda=[
            AgendaEntry(
                item_id=i.id,
                title=item_title(i, cat, lang),
                kind=item_kind(i, cat),
                voting=i.voting,
            )
            for i in w.items
        ],
        current=card(w, current, lang) if current is not None else None,
        open_items=[card(w, i, lang) for i in w.items if i.voting == "open"]
        if w.mode == "free" and w.status == "open"
        else [],
        tally=results,
    )


def _read(code: str) -> tuple[ws.Workshop, ws.WorkshopTally | None, dict]:
    s = domain.store()
    w = ws.get_workshop(code, store=s)
    tally = None if w.hide_results_until_closed else ws.get_tally(code, store=s)
    # The answers per pair of every matrix session a phone may score now (one grouped query
    # each): what every phone's deal balances on (conflicts.workshops.deal).
    counts = {i.id: ws.pair_counts(w, i.id, store=s) for i in votable(w) if i.is_matrix}
    return w, tally, counts


@dataclass
class _Entry:
    workshop: ws.Workshop
    tally: ws.WorkshopTally | None
    pair_counts: dict[int, dict[tuple[str, str], int]] = field(default_factory=dict)
    states: dict[str, State] = field(default_factory=dict)
    bodies: dict[str, bytes] = field(default_factory=dict)  # the states as JSON, per language


@dataclass
class _Watch:
    revision: int
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    waiters: int = 0
    task: asyncio.Task | None = None


class StateHub:
    """Shared reads of workshops for one process (see the module docstring)."""

    def __init__(self, cache_s: float = CACHE_S, watch_s: float = WATCH_S):
        self.cache_s = cache_s
        self.watch_s = watch_s
        self._reads: SharedReads[_Entry] = SharedReads(cache_s)
        self._building: dict[str, asyncio.Future] = {}
        self._watches: dict[str, _Watch] = {}

    async def workshop(self, code: str, *, min_revision: int = 0) -> _Entry:
        """The cached read of ``code`` (fresh, and at least ``min_revision``), else a new one
        shared with every concurrent caller. Raises what the domain raises."""
        entry = self._reads.fresh(code, lambda e: e.workshop.revision >= min_revision)
        if entry is not None:
            return entry
        pending = self._building.get(code)
        if pending is None:
            pending = asyncio.get_running_loop().create_future()
            self._building[code] = pending
            try:
                w, tally, counts = await run_in_threadpool(_read, code)
                entry = self._reads.put(code, _Entry(w, tally, counts))
                pending.set_result(entry)
            except BaseException as exc:
                pending.set_exception(exc)
                pending.exception()  # mark retrieved: waiters re-raise it themselves
                raise
            finally:
                self._building.pop(code, None)
            return entry
        return await asyncio.shield(pending)

    async def state(self, code: str, lang: str, *, min_revision: int = 0) -> State:
        entry = await self.workshop(code, min_revision=min_revision)
        state = entry.states.get(lang)
        if state is None:
            state = entry.states[lang] = build_state(entry.workshop, entry.tally, lang)
        return state

    async def state_json(self, code: str, lang: str, *, min_revision: int = 0) -> bytes:
        """:meth:`state` serialised once per read and language: a thousand phones woken at
        once get the same bytes (serialising per request cost seconds of CPU)."""
        entry = await self.workshop(code, min_revision=min_revision)
        body = entry.bodies.get(lang)
        if body is None:
            state = await self.state(code, lang, min_revision=min_revision)
            body = entry.bodies[lang] = state.model_dump_json().encode()
        return body

    async def wait(self, code: str, after: int, timeout: float) -> int:
        """Wait until ``code``'s revision is past ``after`` (at most ``timeout`` s); return the
        revision last seen. Revisions only grow, so an ``after`` ahead of what this process has
        seen (another replica was faster) waits for the watcher instead of returning at once."""
        watch = self._watches.get(code)
        if watch is None:
            entry = await self.workshop(code)
            watch = self._watches.setdefault(code, _Watch(entry.workshop.revision))
        if watch.revision > after:
            return watch.revision
        watch.waiters += 1
        if watch.task is None or watch.task.done():
            watch.task = asyncio.create_task(self._watch(code, watch))
        try:
            await asyncio.wait_for(watch.changed.wait(), timeout=min(timeout, MAX_WAIT_S))
        except TimeoutError:
            pass
        finally:
            watch.waiters -= 1
        return watch.revision

    async def _watch(self, code: str, watch: _Watch) -> None:
        """Read the counters every ``watch_s`` while anybody waits; wake all on a change."""
        s = domain.store()
        while watch.waiters > 0:
            await asyncio.sleep(self.watch_s)
            try:
                revision, _ = await run_in_threadpool(ws.poll, code, store=s)
            except Exception:  # an outage or a deleted workshop: waiters time out
                continue
            if revision != watch.revision:
                watch.revision = revision
                changed, watch.changed = watch.changed, asyncio.Event()
                changed.set()
        self._watches.pop(code, None)


#: The process's hub (one event loop per process: Streamlit's server).
hub = StateHub()
