"""The workshop errors: one tree under :class:`WorkshopError`, each with a stable machine ``code``
(and ``params`` for the translated message). The table of codes is in :mod:`conflicts.workshops`."""

from __future__ import annotations

from typing import Any

from conflicts.errors import ConflictsError


class WorkshopError(ConflictsError):
    """Base of the workshop errors: ``code`` is stable and machine-readable, ``params`` fill the
    translated message."""

    code = "workshop_error"

    def __init__(self, message: str, *, code: str | None = None, **params: Any):
        super().__init__(message)
        if code:
            self.code = code
        self.params = params


class WorkshopNotFound(WorkshopError):
    code = "unknown_code"


class AccessDenied(WorkshopError):
    code = "access_denied"


class UnknownCatalogue(WorkshopError):
    code = "unknown_catalogue"


class InvalidSetting(WorkshopError):
    code = "invalid_setting"


class BallotRejected(WorkshopError):
    """A participant's request (join or ballot) was rejected; nothing was written."""

    code = "rejected"


class WorkshopNotOpen(BallotRejected):
    code = "workshop_closed"


class VotingClosed(BallotRejected):
    code = "voting_closed"


class NotJoined(BallotRejected):
    code = "not_joined"


class NotEntitled(BallotRejected):
    code = "not_entitled"


class UnknownItem(BallotRejected):
    code = "unknown_item"


class ValueOutOfRange(BallotRejected):
    code = "value_out_of_range"


class InvalidBallot(BallotRejected):
    code = "invalid_ballot"


class BudgetExceeded(BallotRejected):
    code = "budget_exceeded"


class TextTooLong(BallotRejected):
    code = "text_too_long"


class InvalidText(BallotRejected):
    code = "invalid_text"


class InvalidValue(BallotRejected):
    code = "invalid_value"


class ParticipantCodeInvalid(BallotRejected):
    code = "participant_code_invalid"


class ParticipantCodeUsed(BallotRejected):
    code = "participant_code_used"


class ProposalLimit(BallotRejected):
    """The participant already made the maximum number of proposals."""

    code = "proposal_limit"


class UnknownProposal(WorkshopError):
    code = "unknown_proposal"
