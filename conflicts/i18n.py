"""The one translation table for UI text (Swedish first, English too).

Catalogue texts carry their own translations (see :class:`conflicts.catalogue.Text`); this table is
for the application's own words. A test checks that every key has every language and that every
``t("...")`` used in the code exists here.

>>> t("explore.title", "en")
'Explore the goal conflicts'
>>> t("catalogue.valid", "sv", n=3)
'Katalogen är giltig: 3 interaktioner.'
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}

TRANSLATIONS: dict[str, dict[str, str]] = {
    # --- app shell ------------------------------------------------------------------------------
    "app.name": {"sv": "Målkonflikt", "en": "Målkonflikt"},
    "app.language": {"sv": "Språk", "en": "Language"},
    "nav.explore": {"sv": "Utforska", "en": "Explore"},
    "nav.catalogue": {"sv": "Katalog", "en": "Catalogue"},
    "nav.workshops": {"sv": "Workshoppar", "en": "Workshops"},
    "error.unexpected": {
        "sv": "Något gick fel. Inget sparat har gått förlorat; försök igen.",
        "en": "Something went wrong. Nothing saved was lost; please try again.",
    },
    # --- catalogue selection and validation ----------------------------------------------------
    "catalogue.title": {"sv": "Katalog", "en": "Catalogue"},
    "catalogue.intro": {
        "sv": "Välj en medföljande katalog eller ladda upp en egen YAML-fil. Mallen och JSON-schemat "
        "hjälper dig att skriva en egen.",
        "en": "Pick a bundled catalogue or upload your own YAML file. The template and the JSON "
        "Schema help you write your own.",
    },
    "catalogue.bundled": {"sv": "Medföljande kataloger", "en": "Bundled catalogues"},
    "catalogue.choose": {"sv": "Katalog att använda", "en": "Catalogue to use"},
    "catalogue.upload": {"sv": "Ladda upp en katalog (YAML)", "en": "Upload a catalogue (YAML)"},
    "catalogue.uploaded": {"sv": "Uppladdad: {name}", "en": "Uploaded: {name}"},
    "catalogue.valid": {
        "sv": "Katalogen är giltig: {n} interaktioner.",
        "en": "The catalogue is valid: {n} interactions.",
    },
    "catalogue.invalid": {
        "sv": "Katalogen har {n} fel. Inget har ändrats; rätta filen och ladda upp den igen.",
        "en": "The catalogue has {n} problem(s). Nothing was changed; fix the file and upload it "
        "again.",
    },
    "catalogue.problem_line": {
        "sv": "rad {line}, kolumn {column}",
        "en": "line {line}, column {column}",
    },
    "catalogue.in_use": {"sv": "Används nu: {title}", "en": "In use now: {title}"},
    "catalogue.use": {"sv": "Använd denna katalog", "en": "Use this catalogue"},
    "catalogue.download_template": {"sv": "Ladda ner mallen", "en": "Download the template"},
    "catalogue.download_schema": {"sv": "Ladda ner JSON-schemat", "en": "Download the JSON Schema"},
    "catalogue.download_yaml": {
        "sv": "Ladda ner katalogen (YAML)",
        "en": "Download the catalogue (YAML)",
    },
    "catalogue.counts": {
        "sv": "{goals} mål, {subgoals} delmål, {actors} aktörer, {interactions} interaktioner "
        "({conflicts} konflikter, {synergies} synergier)",
        "en": "{goals} goals, {subgoals} sub-goals, {actors} actors, {interactions} interactions "
        "({conflicts} conflicts, {synergies} synergies)",
    },
    "catalogue.sources": {"sv": "Källor", "en": "Sources"},
    "catalogue.version": {"sv": "Version {version}", "en": "Version {version}"},
    "catalogue.licence": {"sv": "Licens: {licence}", "en": "Licence: {licence}"},
    # --- explore --------------------------------------------------------------------------------
    "explore.title": {"sv": "Utforska målkonflikterna", "en": "Explore the goal conflicts"},
    "explore.hint": {
        "sv": "Klicka på en nod (mål) eller på mitten av en linje (interaktion) för detaljer.",
        "en": "Click a node (goal) or the middle of a line (interaction) for details.",
    },
    "explore.filters": {"sv": "Filter", "en": "Filters"},
    "explore.filter_goals": {"sv": "Mål", "en": "Goals"},
    "explore.filter_sign": {"sv": "Visa", "en": "Show"},
    "explore.sign_all": {"sv": "Alla", "en": "All"},
    "explore.sign_conflict": {"sv": "Konflikter", "en": "Conflicts"},
    "explore.sign_synergy": {"sv": "Synergier", "en": "Synergies"},
    "explore.min_strength": {"sv": "Minsta styrka", "en": "Minimum strength"},
    "explore.filter_actors": {"sv": "Aktörer", "en": "Actors"},
    "explore.focus": {"sv": "Fokusera på", "en": "Focus on"},
    "explore.focus_none": {"sv": "(hela nätverket)", "en": "(the whole network)"},
    "explore.focus_radius": {"sv": "Steg från fokus", "en": "Steps from focus"},
    "explore.pick": {"sv": "Eller välj en interaktion", "en": "Or pick an interaction"},
    "explore.pick_none": {"sv": "(ingen vald)", "en": "(none selected)"},
    "explore.nothing_selected": {
        "sv": "Inget valt ännu. Klicka i nätverket eller välj en interaktion i listan.",
        "en": "Nothing selected yet. Click in the network or pick an interaction from the list.",
    },
    "explore.empty": {
        "sv": "Inga interaktioner matchar filtren.",
        "en": "No interactions match the filters.",
    },
    "explore.shown": {
        "sv": "Visar {edges} av {total} interaktioner.",
        "en": "Showing {edges} of {total} interactions.",
    },
    "explore.contested": {"sv": "Mest omstridda mål", "en": "Most contested goals"},
    "explore.strongest": {"sv": "Starkaste konflikterna", "en": "Strongest conflicts"},
    "explore.clear": {"sv": "Rensa val", "en": "Clear selection"},
    # --- detail panel ---------------------------------------------------------------------------
    "detail.conflict": {"sv": "Konflikt", "en": "Conflict"},
    "detail.synergy": {"sv": "Synergi", "en": "Synergy"},
    "detail.neutral": {"sv": "Förenligt", "en": "Consistent"},
    "detail.score": {"sv": "Poäng {score:+d} ({name})", "en": "Score {score:+d} ({name})"},
    "detail.direction_directed": {"sv": "{a} påverkar {b}", "en": "{a} affects {b}"},
    "detail.direction_mutual": {
        "sv": "{a} och {b} påverkar varandra",
        "en": "{a} and {b} affect each other",
    },
    "detail.evidence": {"sv": "Underlag", "en": "Evidence"},
    "detail.actors": {"sv": "Aktörer som berörs", "en": "Actors concerned"},
    "detail.levels": {"sv": "Beslutsnivåer som behövs", "en": "Decision levels needed"},
    "detail.questions": {"sv": "Frågor för dialogen", "en": "Questions for dialogue"},
    "detail.tags": {"sv": "Taggar", "en": "Tags"},
    "detail.illustrative": {
        "sv": "Poängen är illustrativ, inte hämtad ur en publicerad matris.",
        "en": "The score is illustrative, not taken from a published matrix.",
    },
    "detail.goal": {"sv": "Mål", "en": "Goal"},
    "detail.subgoal_of": {"sv": "Delmål under: {goal}", "en": "Sub-goal of: {goal}"},
    "detail.paraphrase": {
        "sv": "Omskrivning, inte planens exakta lydelse.",
        "en": "Paraphrase, not the plan's exact wording.",
    },
    "detail.target": {"sv": "Målsättning", "en": "Target"},
    "detail.indicator": {"sv": "Indikator", "en": "Indicator"},
    "detail.metrics": {"sv": "Nyckeltal", "en": "Metrics"},
    "detail.m_conflicts": {"sv": "Konflikter", "en": "Conflicts"},
    "detail.m_synergies": {"sv": "Synergier", "en": "Synergies"},
    "detail.m_influence": {"sv": "Påverkan", "en": "Influence"},
    "detail.m_second_order": {"sv": "Andra ordningens påverkan", "en": "Second-order influence"},
    "detail.m_conflict_strength": {"sv": "Konfliktstyrka", "en": "Conflict strength"},
    "detail.m_synergy_strength": {"sv": "Synergistyrka", "en": "Synergy strength"},
    "detail.interactions": {"sv": "Interaktioner", "en": "Interactions"},
    "detail.none": {"sv": "Inga.", "en": "None."},
    "detail.node": {"sv": "Nod", "en": "Node"},
    "detail.interaction": {"sv": "Interaktion", "en": "Interaction"},
    "detail.strength": {"sv": "Styrka", "en": "Strength"},
    # --- enumerations ---------------------------------------------------------------------------
    "level.local": {"sv": "Lokal", "en": "Local"},
    "level.regional": {"sv": "Regional", "en": "Regional"},
    "level.national": {"sv": "Nationell", "en": "National"},
    "level.eu": {"sv": "EU", "en": "EU"},
    "level.international": {"sv": "Internationell", "en": "International"},
    "actor_type.municipality": {"sv": "Kommun", "en": "Municipality"},
    "actor_type.region": {"sv": "Region", "en": "Region"},
    "actor_type.state_agency": {"sv": "Statlig myndighet", "en": "State agency"},
    "actor_type.government": {"sv": "Regering", "en": "Government"},
    "actor_type.parliament": {"sv": "Riksdag", "en": "Parliament"},
    "actor_type.business": {"sv": "Näringsliv", "en": "Business"},
    "actor_type.academia": {"sv": "Akademi", "en": "Academia"},
    "actor_type.civil_society": {"sv": "Civilsamhälle", "en": "Civil society"},
    "actor_type.citizens": {"sv": "Medborgare", "en": "Citizens"},
    "actor_type.eu": {"sv": "EU", "en": "EU"},
    "actor_type.international": {"sv": "Internationell", "en": "International"},
    "actor_type.other": {"sv": "Annan", "en": "Other"},
}


def normalise_language(value: str | None) -> str:
    """A supported language code for ``value`` (e.g. 'en-GB' -> 'en'), else the default."""
    code = (value or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str, /, **values: object) -> str:
    """The UI text ``key`` in ``lang``, formatted with ``values``.

    An unknown key raises ``KeyError`` (a test keeps every key used in the code present).
    """
    entry = TRANSLATIONS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def scale_name(score: int, lang: str) -> str:
    """The 7-point scale's name for ``score`` in ``lang`` (e.g. -2 -> 'counteracting')."""
    from conflicts.catalogue import SCALE

    sv, en = SCALE[score]
    return en if lang == "en" else sv
