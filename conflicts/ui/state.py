"""Every ``st.session_state`` key the app keeps for itself, declared once.

Widget keys (``key=`` of a button, input, ...) are the stable test selectors and stay beside
their widgets; the keys here hold the app's own per-session state.
"""

from __future__ import annotations

#: The UI language (``sv`` | ``en``).
LANG = "lang"
#: The catalogue in use on the explore/catalogue pages (a bundled name or ``upload:<digest>``).
CATALOGUE = "catalogue"
#: Uploaded catalogues of this session: digest -> (raw bytes, file name).
UPLOADS = "_uploaded_catalogues"
#: Join code -> :class:`conflicts.workshops.FacilitatorGrant` unlocked in this browser session
#: (the key itself is never kept).
GRANTS = "_facilitator_grants"
#: Facilitator console: the last action's error text, the one-time key after creating, the
#: revision the page was drawn from, an autosave error of the notes.
FAC_ERROR = "_fac_error"
FAC_NEW_KEY = "_fac_new_key"
FAC_REVISION = "_fac_revision"
NOTES_ERROR = "_notes_error"
#: Phone: the revision the join page was drawn from; feedback per item and for a proposal.
JOIN_REVISION = "_join_revision"
JOIN_FEEDBACK = "_join_feedback"
PROPOSAL_FEEDBACK = "_prop_feedback"
#: Projector: last tally / participants by (revision, tally_revision); the drawn revision.
PROJECTOR_TALLY = "_projector_tally"
PROJECTOR_PEOPLE = "_projector_people"
PROJECTOR_REVISION = "_projector_revision"
#: Results page: this code -> the other workshop's code to compare with.
COMPARE = "_results_compare"
#: Explore page: the selected ("node" | "edge", id) or None.
EXPLORE_SELECTED = "explore_selected"
#: Series id -> :class:`conflicts.series.SeriesGrant` unlocked in this browser session.
SERIES_GRANTS = "_series_grants"
#: Regional view / projector: (series id, poll signature, weighting) -> the regional results.
SERIES_CACHE = "_series_cache"
#: Regional view: the room whose removal waits for confirmation; the notice after removing one.
SERIES_REMOVE = "_series_remove"
SERIES_NOTICE = "_series_notice"
#: Console: a notice after an action (e.g. voting closed on moving on); the proposals read for
#: ((code, tally_revision), proposals).
FAC_NOTICE = "_fac_notice"
FAC_PROPOSALS = "_fac_proposals"
FAC_TALLY = "_fac_tally"
#: Facilitator sign-in: codes signed out in this session (the old cookie is not read again);
#: a pending (route, form fields) post that sets or clears the session cookie.
SIGNED_OUT = "_fac_signed_out"
SIGNIN_POST = "_fac_signin_post"
REMEMBERED = "_fac_remembered"
#: Widgets redrawn under a new key when their stored value changes: family -> the key drawn
#: last (:mod:`conflicts.ui.versioned`).
LIVE_KEYS = "_live_widget_keys"
