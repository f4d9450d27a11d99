"""UI text of issue 12: the matrix scoring session (item 13) and the honest tally figures in
the results (items 8-10: points per participant, share who gave any, few ballots).

Merged into :data:`conflicts.i18n.TRANSLATIONS`; the same rules apply: Swedish first, English
too, the same placeholders.
"""

from __future__ import annotations

MATRIX: dict[str, dict[str, str]] = {
    "err.matrix_nodes": {
        "sv": "Välj 5–40 mål eller delmål för matrisbedömningen.",
        "en": "Choose 5–40 goals or sub-goals for the matrix scoring.",
    },
    "matrix.kind": {"sv": "Matrisbedömning", "en": "Matrix scoring"},
    "matrix.title": {
        "sv": "Matrisbedömning: {n} mål och delmål",
        "en": "Matrix scoring: {n} goals and sub-goals",
    },
    "matrix.question": {
        "sv": "Om det går framåt för {a}, hur påverkar det möjligheten att nå {b}?",
        "en": "If progress is made on {a}, how does that affect progress on {b}?",
    },
    "matrix.question_generic": {
        "sv": "Om det går framåt för A, hur påverkar det möjligheten att nå B?",
        "en": "If progress is made on A, how does that affect progress on B?",
    },
    "matrix.scale_hint": {
        "sv": "−3 omöjliggörande · 0 förenligt · +3 odelbart",
        "en": "−3 cancelling · 0 consistent · +3 indivisible",
    },
    "matrix.rationale": {
        "sv": "Motivering (frivillig, högst {max} tecken)",
        "en": "Rationale (optional, at most {max} characters)",
    },
    "matrix.pair_of": {"sv": "Par {k} av {n}", "en": "Pair {k} of {n}"},
    "matrix.done": {
        "sv": "Tack! Du har bedömt {n} par. Titta på projektorn.",
        "en": "Thank you! You have scored {n} pairs. Look at the projector.",
    },
    "matrix.saved": {"sv": "✓ {value} par sparade", "en": "✓ {value} pairs saved"},
    "matrix.progress": {
        "sv": "{answers} svar från {people} deltagare · {cells} av {pairs} par bedömda",
        "en": "{answers} answers from {people} participants · {cells} of {pairs} pairs scored",
    },
    "matrix.room": {"sv": "Rummets matris", "en": "The room's matrix"},
    "matrix.legend": {
        "sv": "Varje ruta: rummets median, spridning (kvartilavstånd, IQR) och antal svar; "
        "katalogens poäng på sista raden (· = inte bedömd). Raden påverkar kolumnen.",
        "en": "Each cell: the room's median, spread (interquartile range, IQR) and number of "
        "answers; the catalogue's score on the last line (· = not scored). The row acts on "
        "the column.",
    },
    "matrix.nodes_heading": {
        "sv": "{n} mål och delmål bedöms parvis",
        "en": "{n} goals and sub-goals scored in pairs",
    },
    "matrix.discussion": {"sv": "Diskutera först", "en": "Discuss first"},
    "matrix.discussion_none": {
        "sv": "Inget par har ännu minst {n} svar.",
        "en": "No pair has at least {n} answers yet.",
    },
    "matrix.reason_disagreement": {
        "sv": "oenighet (IQR {spread})",
        "en": "disagreement (IQR {spread})",
    },
    "matrix.reason_departure": {
        "sv": "avviker från katalogen ({catalogue})",
        "en": "departs from the catalogue ({catalogue})",
    },
    "matrix.cell_summary": {
        "sv": "median {median}, IQR {spread}, n = {count}, katalogen {catalogue}",
        "en": "median {median}, IQR {spread}, n = {count}, catalogue {catalogue}",
    },
    "matrix.not_scored": {"sv": "inte bedömd", "en": "not scored"},
    "matrix.catalogue_short": {"sv": "kat.", "en": "cat."},
    "matrix.median": {"sv": "Median", "en": "Median"},
    "matrix.hidden": {
        "sv": "Resultaten visas när bedömningen är stängd.",
        "en": "The results are shown once the scoring is closed.",
    },
    # --- the facilitator's console ------------------------------------------------------------
    "matrix.add": {"sv": "Lägg till en matrisbedömning", "en": "Add a matrix scoring session"},
    "matrix.nodes": {
        "sv": "Mål och delmål (5–40) att bedöma parvis",
        "en": "Goals and sub-goals (5–40) to score in pairs",
    },
    "matrix.per_participant": {
        "sv": "Par per deltagare",
        "en": "Pairs per participant",
    },
    "matrix.add_help": {
        "sv": "Varje telefon får paren ett i taget, de med minst svar först. {n} noder ger {pairs} "
        "ordnade par.",
        "en": "Each phone is dealt the pairs one at a time, those with the fewest answers first. "
        "{n} nodes make {pairs} ordered pairs.",
    },
    # --- results and reports -------------------------------------------------------------------
    "matrix.results": {"sv": "Matrisbedömningar", "en": "Matrix scoring sessions"},
    "matrix.col_pair": {"sv": "Par (A påverkar B)", "en": "Pair (A acts on B)"},
    "matrix.col_count": {"sv": "Antal", "en": "Count"},
    "matrix.col_spread": {"sv": "IQR", "en": "IQR"},
    "matrix.col_catalogue": {"sv": "Katalogen", "en": "Catalogue"},
    "matrix.col_reason": {"sv": "Varför först", "en": "Why first"},
    "matrix.rationales": {"sv": "Motiveringar", "en": "Rationales"},
    # --- honest tally figures in the results (items 8-10) --------------------------------------
    "res.points_pp": {"sv": "{value} poäng/deltagare", "en": "{value} points/participant"},
    "res.share_any": {"sv": "{pct} gav poäng", "en": "{pct} gave points"},
    "res.few_ballots": {"sv": "⚠ få röster ({n})", "en": "⚠ few ballots ({n})"},
    "res.col_points_pp": {"sv": "Poäng per deltagare", "en": "Points per participant"},
    "res.col_share_any": {"sv": "Andel som gav poäng", "en": "Share who gave points"},
    "res.col_few": {"sv": "Få röster", "en": "Few ballots"},
    "res.few_help": {
        "sv": "⚠ få röster: medelvärdet vilar på färre än {n} röster eller färre än {pct} av "
        "deltagarna. Vid lika medel går fler röster före.",
        "en": "⚠ few ballots: the mean rests on fewer than {n} ballots or fewer than {pct} of "
        "the participants. Equal means: more ballots first.",
    },
    "res.points_help": {
        "sv": "Medel och samsyn gäller bara dem som gav punkten poäng; poäng per deltagare och "
        "andelen som gav poäng räknar alla deltagare.",
        "en": "Mean and consensus describe only those who gave the item points; points per "
        "participant and the share who gave points count every participant.",
    },
    "res.consensus_not_comparable": {
        "sv": "Samsynen jämförs inte: den beror på metoden och skalans bredd.",
        "en": "Consensus is not compared: it depends on the method and the width of the scale.",
    },
}
