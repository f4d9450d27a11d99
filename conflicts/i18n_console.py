"""UI text of the facilitator console and the projector added for a real room (issue 10).

Merged into :data:`conflicts.i18n.TRANSLATIONS` (kept apart so that the table's module stays a
readable size); the same rules apply: Swedish first, English too, the same placeholders.
"""

from __future__ import annotations

CONSOLE: dict[str, dict[str, str]] = {
    # --- errors that a refused console action shows -----------------------------------------
    "err.method_locked": {
        "sv": "Röstningsmetoden kan inte ändras när röster har lagts (poängbudgeten kan bara "
        "höjas). Inställningen är oförändrad.",
        "en": "The voting method cannot change once ballots are in (the dot budget can only "
        "grow). The setting is unchanged.",
    },
    "err.item_has_ballots": {
        "sv": "Punkten har röster och kan inte tas bort.",
        "en": "The item has ballots and cannot be removed.",
    },
    "err.invalid_agenda": {"sv": "Ogiltig agenda.", "en": "Invalid agenda."},
    "err.unknown_interaction": {
        "sv": "Okänd målkonflikt eller synergi.",
        "en": "Unknown conflict or synergy.",
    },
    # --- moving on while voting is open --------------------------------------------------------
    "fac.close_on_move": {
        "sv": "Stäng röstningen när jag går vidare",
        "en": "Close voting when I move on",
    },
    "fac.voting_open_hint": {
        "sv": "Röstningen är öppen. Går du vidare stängs den först.",
        "en": "Voting is open. Moving on closes it first.",
    },
    "fac.stays_open": {
        "sv": "Röstningen är öppen och stannar öppen om du går vidare: telefoner som följer "
        "dig når den inte längre.",
        "en": "Voting is open and stays open if you move on: phones that follow you can no "
        "longer reach it.",
    },
    "fac.closed_on_move": {
        "sv": "Röstningen på ”{item}” stängdes när du gick vidare.",
        "en": "Voting on “{item}” was closed as you moved on.",
    },
    "fac.left_open": {
        "sv": "Röstningen på ”{item}” är fortfarande öppen, men telefoner som följer dig når "
        "den inte längre.",
        "en": "Voting on “{item}” is still open, but phones that follow you can no longer "
        "reach it.",
    },
    # --- ending the workshop -------------------------------------------------------------------
    "fac.close_ws_confirm": {
        "sv": "Avsluta workshoppen? All röstning stängs och projektorn visar att den är slut. "
        "Du kan öppna den igen.",
        "en": "End the workshop? All voting closes and the projector shows that it has ended. "
        "You can open it again.",
    },
    "fac.close_ws_yes": {"sv": "Ja, avsluta", "en": "Yes, end it"},
    "projector.ended": {
        "sv": "Workshoppen är avslutad. Tack för i dag!",
        "en": "The workshop has ended. Thank you!",
    },
    # --- the key, shown once; signing in and out ------------------------------------------------
    "fac.key_download": {"sv": "Ladda ned nyckeln", "en": "Download the key"},
    "fac.key_once": {
        "sv": "Nyckeln döljs när du går vidare. Du förblir inloggad i den här webbläsaren i "
        "12 timmar.",
        "en": "The key is hidden when you move on. You stay signed in in this browser for "
        "12 hours.",
    },
    "fac.sign_out": {"sv": "Logga ut", "en": "Sign out"},
    # --- live proposals, plurals ----------------------------------------------------------------
    "ws.ballots_in_one": {"sv": "1 röst inne", "en": "1 ballot in"},
    "ws.participants_one": {"sv": "1 deltagare", "en": "1 participant"},
    # --- the projector while voting -------------------------------------------------------------
    "projector.voting_closed": {"sv": "Röstningen är stängd", "en": "Voting is closed"},
    # --- Streamlit's own texts, in the UI language ---------------------------------------------
    "widget.choose": {"sv": "Välj", "en": "Choose an option"},
    "widget.choose_many": {"sv": "Välj en eller flera", "en": "Choose options"},
    "widget.upload": {"sv": "Välj fil", "en": "Upload"},
    "widget.upload_limit": {
        "sv": "Högst {mb} MB per fil • {types}",
        "en": "{mb} MB per file • {types}",
    },
    "widget.upload_drop": {"sv": "Släpp filen här", "en": "Drop the file here"},
    "widget.upload_input": {"sv": "Filuppladdning", "en": "File upload"},
    "widget.upload_remove": {"sv": "Ta bort", "en": "Remove"},
    "widget.upload_add": {"sv": "Lägg till filer", "en": "Add files"},
}
