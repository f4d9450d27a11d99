"""Workshops: agenda, participants, ballots, tallies and facilitation (plain Python, no streamlit).

The public API of the package; the modules say what they hold (:mod:`.errors`, :mod:`.model`,
:mod:`.access`, :mod:`.lifecycle`, :mod:`.agenda`, :mod:`.steps`, :mod:`.voting`,
:mod:`.proposals`, :mod:`.outcomes`, :mod:`.tallies`, :mod:`.snapshot`; the private
:mod:`._db` holds the row mappers, THE locked transaction and THE upsert). Every function takes
``store=`` (a :class:`conflicts.store.Store`, required: there is no database from the
environment here; :class:`conflicts.services.Services` makes one). Every write runs in ONE
transaction that has committed when the function returns; a rejected request raises a
:class:`WorkshopError` subclass and writes nothing. Exports and reports live above, in
:mod:`conflicts.reports` (nothing here imports them).

Usage::

    from conflicts import workshops as ws

    created = ws.create_workshop("stockholm", title="Regional plan, round 1", store=store)
    code, key = created.workshop.code, created.facilitator_key   # show the key once
    grant = created.grant                       # or later: ws.unlock(code, key, store=store)
    ws.open_workshop(grant, store=store)
    item = created.workshop.items[0]
    ws.open_voting(grant, item.id, store=store)

    # a participant's phone (voter_id = a random id from a cookie): the join code, no grant
    ws.join(code, voter_id="c0ffee...", display_name="Anna", actor_type="municipality",
            store=store)
    ws.cast_ballot(code, "c0ffee...", item.id, value=4, store=store)   # rating 1-5
    ws.cast_ballot(code, "c0ffee...", item.id, skip=True, store=store) # or skipped

    # the projector
    tally = ws.get_tally(code, store=store)     # the room's view (hide_results_until_closed)
    ws.get_tally(grant, store=store)            # the facilitator's: nothing hidden
    ws.poll(code, store=store)                  # (revision, tally_revision): re-read on change

Permission: every facilitator action (open/close, voting per item, agenda, method, steps, timer,
notes, proposals, participant codes, exports) takes a :class:`FacilitatorGrant` as its FIRST
argument, which only :func:`unlock` (the key or the admin password) and :func:`create_workshop`
make. A page or route that forgot the key check has no grant to pass. Participant actions take
the join code and the voter id.

Errors: every error carries a stable machine ``code`` (and ``params`` for the message) so the UI
can translate it:

=============================  ===========================================================
``unknown_code``               :class:`WorkshopNotFound`: no workshop with that join code
``access_denied``              :class:`AccessDenied`: wrong key, or not a grant
``unknown_catalogue``          :class:`UnknownCatalogue`: no such file or bundled catalogue
``workshop_not_started``       :class:`WorkshopNotOpen`: the workshop is still a draft
``workshop_closed``            :class:`WorkshopNotOpen`: the workshop is closed
``voting_closed``              :class:`VotingClosed`: voting on the item is not open
``not_joined``                 :class:`NotJoined`: cast before :func:`join`
``not_entitled``               :class:`NotEntitled`: closed mode and no participant code
``unknown_item``               :class:`UnknownItem`: no such agenda item in the workshop
``value_out_of_range``         :class:`ValueOutOfRange`: params ``min``, ``max``
``value_required``             :class:`InvalidBallot`: neither a value nor skip
``invalid_ballot``             :class:`InvalidBallot`: wrong type, value with skip, ...
``wrong_method``               :class:`InvalidBallot`: e.g. a value for a 'ranking' item
``too_many_items``             :class:`InvalidBallot`: ranking longer than N
``duplicate_item``             :class:`InvalidBallot` / :class:`InvalidSetting`
``budget_exceeded``            :class:`BudgetExceeded`: params ``budget``, ``used``, ``remaining``
``text_too_long``              :class:`TextTooLong`: params ``field``, ``max``
``invalid_text``               :class:`InvalidText`: control characters or empty
``invalid_value``              :class:`InvalidValue`: unknown actor type / decision level
``participant_code_invalid``   :class:`ParticipantCodeInvalid`
``participant_code_used``      :class:`ParticipantCodeUsed`: bound to another voter
``invalid_setting``            :class:`InvalidSetting` (also ``unknown_interaction``,
                               ``item_has_ballots``, ``method_locked``, ``invalid_agenda``,
                               ``closed_mode_after_ballots``)
``database_unavailable``       :class:`conflicts.store.DatabaseUnavailable`
``unknown_node``               :class:`InvalidValue`: no such goal/sub-goal
``self_loop``                  :class:`InvalidValue`: from = to
``proposal_limit``             :class:`ProposalLimit`: params ``max``
``unknown_proposal``           :class:`UnknownProposal`
``proposal_not_pending``       :class:`InvalidSetting`: proposal already handled
``no_timer``                   :class:`InvalidSetting`: pause/resume/extend without a timer
``invalid_duration``           :class:`InvalidSetting`: timer seconds out of range
``matrix_nodes``               :class:`InvalidSetting`: a matrix session needs 5-40 nodes
=============================  ===========================================================

Matrix scoring sessions (:mod:`.matrix_session`): :func:`add_matrix_session` puts one on the
agenda; :func:`score_pair` stores a participant's −3..+3 on an ordered pair of its nodes;
:func:`deal` picks a phone's next pairs; :func:`get_room_matrix` is the room's matrix
(:mod:`conflicts.room_matrix`: median, interquartile range and count per cell).

Concurrency: every write transaction locks the workshop row first (``SELECT ... FOR UPDATE`` on
PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite), so the checks of a ballot (workshop open, item open,
voter joined and entitled, dot budget) and its write are atomic against other processes, and the
unique constraint on ``(participant, item)`` + an upsert keeps one ballot per voter and item.
"""

from __future__ import annotations

from conflicts.store import OUTCOMES, DatabaseUnavailable
from conflicts.workshops.access import (
    FacilitatorGrant,
    check_facilitator,
    hash_key,
    local_grant,
    unlock,
    verify_key,
)
from conflicts.workshops.agenda import (
    add_interaction,
    add_warmup,
    move_item,
    order_agenda,
    remove_item,
    reorder_agenda,
    set_agenda,
    warmup_options,
)
from conflicts.workshops.errors import (
    AccessDenied,
    BallotRejected,
    BudgetExceeded,
    InvalidBallot,
    InvalidSetting,
    InvalidText,
    InvalidValue,
    NotEntitled,
    NotJoined,
    ParticipantCodeInvalid,
    ParticipantCodeUsed,
    ProposalLimit,
    TextTooLong,
    UnknownCatalogue,
    UnknownItem,
    UnknownProposal,
    ValueOutOfRange,
    VotingClosed,
    WorkshopError,
    WorkshopNotFound,
    WorkshopNotOpen,
)
from conflicts.workshops.lifecycle import (
    close_workshop,
    create_workshop,
    create_workshop_from_text,
    get_workshop,
    list_workshops,
    open_workshop,
    poll,
    poll_many,
    resolve_catalogue,
    set_hide_results,
    set_mode,
    set_participant_codes_required,
    set_title,
    set_voting_method,
)
from conflicts.workshops.matrix_session import (
    MATRIX_ID_PREFIX,
    MATRIX_MAX_NODES,
    MATRIX_MIN_NODES,
    MAX_PAIRS_PER_PARTICIPANT,
    PAIRS_PER_PARTICIPANT,
    RATIONALE_MAX,
    PairAnswer,
    add_matrix_session,
    catalogue_cells,
    deal,
    get_room_matrix,
    my_pair_answers,
    note_dealt,
    pair_counts,
    score_pair,
)
from conflicts.workshops.model import (
    ADDED_ID_PREFIX,
    AGENDA_ORDERS,
    DESCRIPTION_MAX,
    DISPLAY_NAME_MAX,
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    MAX_PARTICIPANT_CODES,
    MAX_PROPOSALS_PER_PARTICIPANT,
    MAX_QUESTIONS,
    NEXT_STEP_MAX,
    OWNER_MAX,
    PARTICIPANT_CODE_LENGTH,
    PROPOSAL_TEXT_MAX,
    PROPOSAL_TITLE_MAX,
    QUESTION_MAX,
    SUMMARY_MAX,
    TIMER_MAX_S,
    TITLE_MAX,
    VOTER_ID_MAX,
    WARMUP_ID_PREFIX,
    AgendaItem,
    Ballot,
    CreatedWorkshop,
    Outcome,
    Participant,
    Proposal,
    Representation,
    RoomComposition,
    TimerState,
    Workshop,
    WorkshopRef,
    WorkshopTally,
    join_path,
    normalise_code,
)
from conflicts.workshops.outcomes import (
    get_outcomes,
    save_outcome,
)
from conflicts.workshops.proposals import (
    accept_proposal,
    decline_proposal,
    list_proposals,
    merge_proposals,
    my_proposals,
    propose,
)
from conflicts.workshops.signin import (
    SESSION_MAX_AGE_S,
    session_cookie_name,
    session_from_ticket,
    session_ticket,
    unlock_session,
)
from conflicts.workshops.snapshot import (
    AddedInteraction,
    AgendaEntry,
    BallotRecord,
    ItemRecord,
    MatrixRecord,
    OutcomeRecord,
    ProposalRecord,
    WarmupRecord,
    WorkshopSnapshot,
    pseudonym,
    public_snapshot,
    snapshot,
)
from conflicts.workshops.steps import (
    close_voting,
    open_voting,
    set_current_item,
    step,
    timer_extend,
    timer_pause,
    timer_remaining,
    timer_reset,
    timer_resume,
    timer_start,
    timer_state,
    toggle_voting,
)
from conflicts.workshops.tallies import (
    get_tally,
    public_tallies,
    representation,
    room_composition,
)
from conflicts.workshops.voting import (
    cast_ballot,
    cast_ranking,
    generate_participant_codes,
    get_participant,
    join,
    list_participant_codes,
    list_participants,
    my_ballots,
)

__all__ = [
    "ADDED_ID_PREFIX",
    "AGENDA_ORDERS",
    "DESCRIPTION_MAX",
    "DISPLAY_NAME_MAX",
    "JOIN_CODE_ALPHABET",
    "JOIN_CODE_LENGTH",
    "MATRIX_ID_PREFIX",
    "MATRIX_MAX_NODES",
    "MATRIX_MIN_NODES",
    "MAX_PAIRS_PER_PARTICIPANT",
    "MAX_PARTICIPANT_CODES",
    "MAX_PROPOSALS_PER_PARTICIPANT",
    "MAX_QUESTIONS",
    "NEXT_STEP_MAX",
    "OUTCOMES",
    "OWNER_MAX",
    "PAIRS_PER_PARTICIPANT",
    "PARTICIPANT_CODE_LENGTH",
    "PROPOSAL_TEXT_MAX",
    "PROPOSAL_TITLE_MAX",
    "QUESTION_MAX",
    "RATIONALE_MAX",
    "SESSION_MAX_AGE_S",
    "SUMMARY_MAX",
    "TIMER_MAX_S",
    "TITLE_MAX",
    "VOTER_ID_MAX",
    "WARMUP_ID_PREFIX",
    "AccessDenied",
    "AddedInteraction",
    "AgendaEntry",
    "AgendaItem",
    "Ballot",
    "BallotRecord",
    "BallotRejected",
    "BudgetExceeded",
    "CreatedWorkshop",
    "DatabaseUnavailable",
    "FacilitatorGrant",
    "InvalidBallot",
    "InvalidSetting",
    "InvalidText",
    "InvalidValue",
    "ItemRecord",
    "MatrixRecord",
    "NotEntitled",
    "NotJoined",
    "Outcome",
    "OutcomeRecord",
    "PairAnswer",
    "Participant",
    "ParticipantCodeInvalid",
    "ParticipantCodeUsed",
    "Proposal",
    "ProposalLimit",
    "ProposalRecord",
    "Representation",
    "RoomComposition",
    "TextTooLong",
    "TimerState",
    "UnknownCatalogue",
    "UnknownItem",
    "UnknownProposal",
    "ValueOutOfRange",
    "VotingClosed",
    "WarmupRecord",
    "Workshop",
    "WorkshopError",
    "WorkshopNotFound",
    "WorkshopNotOpen",
    "WorkshopRef",
    "WorkshopSnapshot",
    "WorkshopTally",
    "accept_proposal",
    "add_interaction",
    "add_matrix_session",
    "add_warmup",
    "cast_ballot",
    "cast_ranking",
    "catalogue_cells",
    "check_facilitator",
    "close_voting",
    "close_workshop",
    "create_workshop",
    "create_workshop_from_text",
    "deal",
    "decline_proposal",
    "generate_participant_codes",
    "get_outcomes",
    "get_participant",
    "get_room_matrix",
    "get_tally",
    "get_workshop",
    "hash_key",
    "join",
    "join_path",
    "list_participant_codes",
    "list_participants",
    "list_proposals",
    "list_workshops",
    "local_grant",
    "merge_proposals",
    "move_item",
    "my_ballots",
    "my_pair_answers",
    "my_proposals",
    "normalise_code",
    "note_dealt",
    "open_voting",
    "open_workshop",
    "order_agenda",
    "pair_counts",
    "poll",
    "poll_many",
    "propose",
    "pseudonym",
    "public_snapshot",
    "public_tallies",
    "remove_item",
    "reorder_agenda",
    "representation",
    "resolve_catalogue",
    "room_composition",
    "save_outcome",
    "score_pair",
    "session_cookie_name",
    "session_from_ticket",
    "session_ticket",
    "set_agenda",
    "set_current_item",
    "set_hide_results",
    "set_mode",
    "set_participant_codes_required",
    "set_title",
    "set_voting_method",
    "snapshot",
    "step",
    "timer_extend",
    "timer_pause",
    "timer_remaining",
    "timer_reset",
    "timer_resume",
    "timer_start",
    "timer_state",
    "toggle_voting",
    "unlock",
    "unlock_session",
    "verify_key",
    "warmup_options",
]
