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
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}  # each in its own language (the switch)
DEFAULT_LANGUAGE = "sv"

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
    "explore.view": {"sv": "Visa som", "en": "Show as"},
    "explore.view_network": {"sv": "Nätverk", "en": "Network"},
    "explore.view_matrix": {"sv": "Matris", "en": "Matrix"},
    "explore.level": {"sv": "Nivå", "en": "Level"},
    "explore.level_goal": {"sv": "Mål", "en": "Goals"},
    "explore.level_subgoal": {"sv": "Delmål", "en": "Sub-goals"},
    "explore.search": {
        "sv": "Sök mål, delmål eller interaktion",
        "en": "Search a goal, sub-goal or interaction",
    },
    "explore.search_placeholder": {
        "sv": "Namn eller nummer, t.ex. klimat eller 13.2",
        "en": "Name or number, e.g. climate or 13.2",
    },
    "explore.kind_goal": {"sv": "Mål", "en": "Goal"},
    "explore.kind_subgoal": {"sv": "Delmål", "en": "Sub-goal"},
    "explore.kind_interaction": {"sv": "Interaktion", "en": "Interaction"},
    "explore.goal_network_hint": {
        "sv": "Målnivå: en linje per målpar och riktning (medel av delmålens interaktioner). "
        "Klicka på mitten av en linje för interaktionerna, eller byt till delmål.",
        "en": "Goal level: one line per pair of goals and direction (the mean of their "
        "sub-goals' interactions). Click the middle of a line for its interactions, or switch "
        "to sub-goals.",
    },
    "explore.matrix_hint": {
        "sv": "Raden påverkar kolumnen; sorterat efter påverkan (radsumma). Siffran är poängen "
        "(−3 till +3), ×n ett medel av n interaktioner. Grå ruta med · = inte bedömd; "
        "vit ruta med 0 = förenlig. Klicka på en ruta för detaljer.",
        "en": "The row acts on the column; sorted by influence (row sum). The number is the "
        "score (−3 to +3), ×n a mean of n interactions. Grey cell with · = not scored; white "
        "cell with 0 = consistent. Click a cell for details.",
    },
    "explore.matrix_filters": {
        "sv": "Målfiltret gäller matrisen; filtren för tecken, styrka, aktörer och fokus gäller "
        "nätverket.",
        "en": "The goal filter applies to the matrix; the sign, strength, actor and focus "
        "filters apply to the network.",
    },
    "explore.matrix_goals": {"sv": "Visa delmålen för", "en": "Show the sub-goals of"},
    "explore.matrix_pick_goals": {
        "sv": "Välj ett eller flera mål för att se deras delmål.",
        "en": "Pick one or more goals to see their sub-goals.",
    },
    "explore.matrix_empty": {
        "sv": "Inga bedömda interaktioner mellan de valda målen.",
        "en": "No scored interactions among the chosen goals.",
    },
    "explore.cell_summary": {
        "sv": "{n} interaktioner, medelpoäng {mean}. Välj en för detaljer:",
        "en": "{n} interactions, mean score {mean}. Pick one for details:",
    },
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
    "detail.m_influence_help": {
        "sv": "Summan av poängen för de interaktioner som utgår från noden (radsumman i "
        "korspåverkansmatrisen).",
        "en": "The sum of the scores of the interactions acting from the node (the row sum of "
        "the cross-impact matrix).",
    },
    "context.title": {"sv": "Sammanhang (ICSU)", "en": "Context (ICSU)"},
    "context.time_horizon": {"sv": "Tidshorisont", "en": "Time horizon"},
    "context.geography": {"sv": "Geografi", "en": "Geography"},
    "context.governance": {"sv": "Styrning", "en": "Governance"},
    "context.confidence": {"sv": "Säkerhet i bedömningen", "en": "Confidence"},
    "horizon.short": {"sv": "Kort sikt (några år)", "en": "Short term (a few years)"},
    "horizon.medium": {
        "sv": "Medellång sikt (omkring ett decennium)",
        "en": "Medium term (about a decade)",
    },
    "horizon.long": {"sv": "Lång sikt (decennier)", "en": "Long term (decades)"},
    "confidence.high": {"sv": "Hög", "en": "High"},
    "confidence.medium": {"sv": "Medel", "en": "Medium"},
    "confidence.low": {"sv": "Låg", "en": "Low"},
    "detail.m_influenced_by": {"sv": "Påverkas av", "en": "Influenced by"},
    "detail.m_influenced_by_help": {
        "sv": "Summan av poängen för de interaktioner som verkar på noden (kolumnsumman i "
        "korspåverkansmatrisen).",
        "en": "The sum of the scores of the interactions acting on the node (the column sum of "
        "the cross-impact matrix).",
    },
    "detail.m_two_step": {"sv": "Påverkan i två steg", "en": "Two-step influence"},
    "detail.m_two_step_help": {
        "sv": "Radsumman av matrisen i kvadrat (A²): alla vägar i två steg, produkten av "
        "poängen, även vägar tillbaka till noden.",
        "en": "The row sum of the squared matrix (A²): every two-step path, the product of the "
        "scores, including paths back to the node.",
    },
    "detail.m_second_order_help": {
        "sv": "Vår egen variant: vägar i två steg utan dem som leder tillbaka till noden, "
        "delat med 3 för att hamna på skalan −3…+3.",
        "en": "Our own variant: two-step paths without those leading back to the node, divided "
        "by 3 to land on the −3…+3 scale.",
    },
    "detail.m_second_order_note": {
        "sv": "Andra ordningens påverkan är projektets egen variant (inte SEI:s formel) och kan "
        "ge en annan ordning än påverkan i två steg. Se Weitz m.fl. 2018 och Nilsson m.fl. 2016.",
        "en": "Second-order influence is this project's own variant (not SEI's formula) and can "
        "order nodes differently from two-step influence. See Weitz et al. 2018 and Nilsson "
        "et al. 2016.",
    },
    "detail.m_conflict_strength": {"sv": "Konfliktstyrka", "en": "Conflict strength"},
    "detail.m_synergy_strength": {"sv": "Synergistyrka", "en": "Synergy strength"},
    "detail.interactions": {"sv": "Interaktioner", "en": "Interactions"},
    "detail.none": {"sv": "Inga.", "en": "None."},
    "detail.node": {"sv": "Nod", "en": "Node"},
    "detail.interaction": {"sv": "Interaktion", "en": "Interaction"},
    "detail.strength": {"sv": "Styrka", "en": "Strength"},
    # --- workshops: shared ---------------------------------------------------------------------
    "nav.join": {"sv": "Delta", "en": "Join"},
    "nav.projector": {"sv": "Projektor", "en": "Projector"},
    "nav.facilitate": {"sv": "Leda workshop", "en": "Facilitate"},
    "ws.code": {"sv": "Kod", "en": "Code"},
    "ws.enter_code": {"sv": "Ange workshopkoden", "en": "Enter the workshop code"},
    "ws.go": {"sv": "Fortsätt", "en": "Continue"},
    "ws.scan": {"sv": "Skanna eller gå till {url}", "en": "Scan or go to {url}"},
    "ws.ballots_in": {"sv": "{n} röster inne", "en": "{n} ballots in"},
    "ws.participants": {"sv": "{n} deltagare", "en": "{n} participants"},
    "ws.hidden": {
        "sv": "Resultatet visas när röstningen stängs.",
        "en": "Results are shown when voting closes.",
    },
    "ws.no_current": {
        "sv": "Väntar på att workshopledaren väljer en konflikt …",
        "en": "Waiting for the facilitator to choose a conflict …",
    },
    "ws.state_not_started": {"sv": "Ej startad", "en": "Not started"},
    "ws.state_open": {"sv": "Röstning pågår", "en": "Voting open"},
    "ws.state_closed": {"sv": "Röstning stängd", "en": "Voting closed"},
    "ws.status_draft": {"sv": "Utkast", "en": "Draft"},
    "ws.status_open": {"sv": "Öppen", "en": "Open"},
    "ws.status_closed": {"sv": "Avslutad", "en": "Closed"},
    "ws.mean": {"sv": "Medel {value}", "en": "Mean {value}"},
    "ws.median": {"sv": "Median {value}", "en": "Median {value}"},
    "ws.consensus": {"sv": "Samsyn {value}", "en": "Consensus {value}"},
    "ws.skips": {"sv": "{n} avstod", "en": "{n} skipped"},
    "ws.ranking": {"sv": "Rummets prioritering", "en": "The room's priorities"},
    "ws.rank_row": {"sv": "{rank}. {title}", "en": "{rank}. {title}"},
    "ws.total": {"sv": "Summa {value}", "en": "Total {value}"},
    "ws.question_rating": {
        "sv": "Hur viktigt är det att vi hanterar den här konflikten nu?",
        "en": "How important is it that we deal with this conflict now?",
    },
    "ws.question_score": {
        "sv": "Hur påverkar målen varandra, enligt dig? (−3 omöjliggörande … +3 odelbart)",
        "en": "How do the goals affect each other, in your view? (−3 cancelling … +3 indivisible)",
    },
    "ws.question_dots": {
        "sv": "Fördela dina {budget} poäng på de konflikter som är viktigast.",
        "en": "Spread your {budget} points over the conflicts that matter most.",
    },
    "ws.question_ranking": {
        "sv": "Välj de {n} viktigaste konflikterna, i ordning (den första är viktigast).",
        "en": "Pick the {n} most important conflicts, in order (the first matters most).",
    },
    "ws.rating_low": {"sv": "1 = inte alls", "en": "1 = not at all"},
    "ws.rating_high": {"sv": "5 = mycket", "en": "5 = very"},
    "ws.skip": {"sv": "Avstå", "en": "Skip"},
    "ws.saved": {"sv": "✓ Sparad: {value}", "en": "✓ Saved: {value}"},
    "ws.saved_skip": {"sv": "✓ Sparad: avstår", "en": "✓ Saved: skipped"},
    "ws.change_hint": {
        "sv": "Du kan ändra din röst så länge röstningen är öppen.",
        "en": "You can change your vote while voting is open.",
    },
    "ws.points_left": {"sv": "Poäng kvar: {n} av {budget}", "en": "Points left: {n} of {budget}"},
    "ws.points": {"sv": "Poäng", "en": "Points"},
    "ws.submit": {"sv": "Skicka", "en": "Submit"},
    "ws.nothing_open": {
        "sv": "Ingen röstning är öppen just nu. Sidan uppdateras av sig själv.",
        "en": "No voting is open right now. This page updates by itself.",
    },
    "ws.closed_workshop": {
        "sv": "Workshoppen är avslutad. Tack!",
        "en": "The workshop has ended. Thank you!",
    },
    # --- join -----------------------------------------------------------------------------------
    "join.title": {"sv": "Delta i workshoppen", "en": "Join the workshop"},
    "join.name": {"sv": "Ditt namn (frivilligt)", "en": "Your name (optional)"},
    "join.actor_type": {"sv": "Jag representerar (frivilligt)", "en": "I represent (optional)"},
    "join.level": {"sv": "Beslutsnivå (frivilligt)", "en": "Decision level (optional)"},
    "join.participant_code": {"sv": "Din deltagarkod", "en": "Your participant code"},
    "join.submit": {"sv": "Gå med", "en": "Join"},
    "join.welcome": {"sv": "Välkommen, {name}!", "en": "Welcome, {name}!"},
    "join.welcome_anon": {"sv": "Du är med!", "en": "You are in!"},
    "join.no_cookie": {
        "sv": "Din webbläsare sparar inte kakor: håll den här sidan öppen så behåller du dina röster.",
        "en": "Your browser does not keep cookies: keep this page open to keep your votes.",
    },
    "phone.sending": {"sv": "Skickar …", "en": "Sending …"},
    "phone.retrying": {
        "sv": "Ingen kontakt med servern – försöker igen …",
        "en": "No contact with the server – trying again …",
    },
    "phone.save": {"sv": "Spara", "en": "Save"},
    "phone.rank": {"sv": "Plats {n}", "en": "Place {n}"},
    "phone.language": {"sv": "Språk", "en": "Language"},
    "err.invalid_request": {
        "sv": "Förfrågan kunde inte tolkas.",
        "en": "The request could not be read.",
    },
    "err.body_too_large": {"sv": "Förfrågan är för stor.", "en": "The request is too large."},
    "err.cross_site": {
        "sv": "Förfrågan kom från en annan webbplats och avvisades.",
        "en": "The request came from another site and was refused.",
    },
    "err.closed_mode_after_ballots": {
        "sv": "Slutet läge kan inte slås på när röster redan har lagts: de som redan röstat har "
        "ingen deltagarkod. Bestäm det innan omröstningen börjar.",
        "en": "Closed mode cannot be switched on once ballots have been cast: those who already "
        "voted have no participant code. Decide before voting starts.",
    },
    "err.create_password": {
        "sv": "Fel lösenord för att skapa workshoppar.",
        "en": "Wrong password for creating workshops.",
    },
    "fac.create_password": {"sv": "Lösenord för att skapa", "en": "Password for creating"},
    "fac.create_password_help": {
        "sv": "Den här servern låter bara den som har lösenordet skapa workshoppar. "
        "Fråga den som driver servern.",
        "en": "This server lets only those with the password create workshops. "
        "Ask whoever runs the server.",
    },
    "err.too_many_attempts": {
        "sv": "För många försök. Vänta {seconds} sekunder.",
        "en": "Too many attempts. Wait {seconds} seconds.",
    },
    # --- projector ------------------------------------------------------------------------------
    "projector.overview": {"sv": "Dagordning", "en": "Agenda"},
    "projector.join_here": {"sv": "Rösta på {url} med koden", "en": "Vote at {url} with the code"},
    # --- facilitate -----------------------------------------------------------------------------
    "fac.title": {"sv": "Leda workshop", "en": "Facilitate"},
    "fac.key": {"sv": "Workshopledarens nyckel", "en": "Facilitator key"},
    "fac.key_help": {
        "sv": "Nyckeln visades när workshoppen skapades.",
        "en": "The key was shown when the workshop was created.",
    },
    "fac.unlock": {"sv": "Lås upp", "en": "Unlock"},
    "fac.create": {"sv": "Skapa en ny workshop", "en": "Create a new workshop"},
    "fac.ws_title": {"sv": "Titel", "en": "Title"},
    "fac.create_submit": {"sv": "Skapa workshop", "en": "Create workshop"},
    "fac.created": {
        "sv": "Workshoppen {code} är skapad. Spara nyckeln nu: den visas bara en gång.",
        "en": "Workshop {code} was created. Save the key now: it is shown only once.",
    },
    "fac.open_existing": {"sv": "Öppna en befintlig workshop", "en": "Open an existing workshop"},
    "fac.links": {"sv": "Länkar", "en": "Links"},
    "fac.status": {"sv": "Status: {status}", "en": "Status: {status}"},
    "fac.open_ws": {"sv": "Öppna workshoppen", "en": "Open the workshop"},
    "fac.close_ws": {"sv": "Avsluta workshoppen", "en": "End the workshop"},
    "fac.method": {"sv": "Röstningsmetod", "en": "Voting method"},
    "fac.method_rating": {"sv": "Prioritet 1–5", "en": "Priority 1–5"},
    "fac.method_dots": {"sv": "Poängfördelning", "en": "Dot voting"},
    "fac.method_ranking": {"sv": "Rangordning", "en": "Ranking"},
    "fac.method_score": {"sv": "Bedöm −3…+3", "en": "Score −3…+3"},
    "fac.budget": {"sv": "Poäng per deltagare", "en": "Points per participant"},
    "fac.ranking_size": {"sv": "Antal att rangordna", "en": "How many to rank"},
    "fac.mode": {"sv": "Deltagarnas vy", "en": "Participants' view"},
    "fac.mode_follow": {"sv": "Följ workshopledaren", "en": "Follow the facilitator"},
    "fac.mode_free": {"sv": "Fritt (alla öppna)", "en": "Free (all open)"},
    "fac.hide": {
        "sv": "Dölj resultat tills röstningen stängs",
        "en": "Hide results until voting closes",
    },
    "fac.require_codes": {"sv": "Endast med deltagarkod", "en": "Participant codes required"},
    "fac.codes_n": {"sv": "Antal koder", "en": "Number of codes"},
    "fac.codes_generate": {"sv": "Skapa deltagarkoder", "en": "Generate participant codes"},
    "fac.agenda": {"sv": "Dagordning", "en": "Agenda"},
    "fac.show": {"sv": "Visa", "en": "Show"},
    "fac.showing": {"sv": "Visas nu", "en": "Showing now"},
    "fac.open_voting": {"sv": "Öppna röstning", "en": "Open voting"},
    "fac.close_voting": {"sv": "Stäng röstning", "en": "Close voting"},
    "fac.saved": {"sv": "Sparat.", "en": "Saved."},
    "fac.settings": {"sv": "Inställningar", "en": "Settings"},
    "fac.results": {"sv": "Live-resultat", "en": "Live results"},
    # --- facilitation (step through, timer, notes, proposals) ------------------------------------
    "fac.tab_step": {"sv": "Steg", "en": "Step"},
    "fac.tab_agenda": {"sv": "Dagordning", "en": "Agenda"},
    "fac.tab_proposals": {"sv": "Förslag ({n})", "en": "Proposals ({n})"},
    "fac.tab_settings": {"sv": "Inställningar", "en": "Settings"},
    "fac.prev": {"sv": "Föregående", "en": "Previous"},
    "fac.next": {"sv": "Nästa", "en": "Next"},
    "fac.toggle_voting": {"sv": "Öppna/stäng röstning", "en": "Open/close voting"},
    "fac.step_of": {"sv": "Steg {n} av {total}", "en": "Step {n} of {total}"},
    "fac.overview": {"sv": "Visa översikt", "en": "Show overview"},
    "fac.shortcuts": {
        "sv": "Kortkommandon: N nästa, P föregående, V öppna/stäng röstning, O översikt.",
        "en": "Shortcuts: N next, P previous, V open/close voting, O overview.",
    },
    "fac.timer": {"sv": "Timer", "en": "Timer"},
    "fac.timer_start": {"sv": "Starta {m} min", "en": "Start {m} min"},
    "fac.timer_pause": {"sv": "Pausa", "en": "Pause"},
    "fac.timer_resume": {"sv": "Fortsätt", "en": "Resume"},
    "fac.timer_extend": {"sv": "+1 min", "en": "+1 min"},
    "fac.timer_reset": {"sv": "Nollställ", "en": "Reset"},
    "fac.order_by": {"sv": "Ordna efter", "en": "Order by"},
    "fac.order_catalogue": {"sv": "Katalogen", "en": "Catalogue"},
    "fac.order_strength": {"sv": "Styrka", "en": "Strength"},
    "fac.order_priority": {"sv": "Rummets prioritet", "en": "The room's priority"},
    "fac.up": {"sv": "Upp", "en": "Up"},
    "fac.down": {"sv": "Ner", "en": "Down"},
    "fac.add_interaction": {"sv": "Lägg till en konflikt", "en": "Add a conflict"},
    "fac.add_warmup": {"sv": "Lägg till en uppvärmningsfråga", "en": "Add a warm-up question"},
    "fac.warmup_default": {
        "sv": "Vilket mål är viktigast för din organisation?",
        "en": "Which goal matters most to your organisation?",
    },
    "fac.from": {"sv": "Från", "en": "From"},
    "fac.to": {"sv": "Till", "en": "To"},
    "fac.score": {"sv": "Poäng (−3 … +3)", "en": "Score (−3 … +3)"},
    "fac.add": {"sv": "Lägg till", "en": "Add"},
    "fac.notes": {"sv": "Anteckningar och utfall", "en": "Notes and outcome"},
    "fac.summary": {"sv": "Sammanfattning", "en": "Summary"},
    "fac.outcome": {"sv": "Utfall", "en": "Outcome"},
    "fac.owner": {"sv": "Ansvarig", "en": "Owner"},
    "fac.next_step": {"sv": "Nästa steg", "en": "Next step"},
    "fac.due": {"sv": "Datum", "en": "Date"},
    "fac.saved_at": {"sv": "Sparat {time}", "en": "Saved {time}"},
    "outcome.resolved": {"sv": "Löst här", "en": "Resolved here"},
    "outcome.needs_analysis": {"sv": "Behöver analys", "en": "Needs analysis"},
    "outcome.escalate": {"sv": "Lyfts till politisk nivå", "en": "Escalate to the political level"},
    "outcome.invite_missing": {"sv": "Bjud in saknade aktörer", "en": "Invite the missing actors"},
    "outcome.parked": {"sv": "Parkerad", "en": "Parked"},
    "room.title": {"sv": "Vilka finns i rummet?", "en": "Who is in the room?"},
    "room.levels": {"sv": "Beslutsnivåer", "en": "Decision levels"},
    "room.actors": {"sv": "Aktörstyper", "en": "Actor types"},
    "room.present": {"sv": "finns ({n})", "en": "present ({n})"},
    "room.missing": {"sv": "saknas", "en": "missing"},
    "room.none_needed": {"sv": "Inga angivna.", "en": "None given."},
    "prop.title": {
        "sv": "Saknas en konflikt? Föreslå den",
        "en": "Is a conflict missing? Propose it",
    },
    "prop.name": {"sv": "Kort rubrik", "en": "Short title"},
    "prop.text": {"sv": "Beskriv konflikten", "en": "Describe the conflict"},
    "prop.submit": {"sv": "Skicka förslaget", "en": "Send the proposal"},
    "prop.sent": {
        "sv": "Tack! Ditt förslag är skickat.",
        "en": "Thank you! Your proposal was sent.",
    },
    "prop.mine": {"sv": "Dina förslag", "en": "Your proposals"},
    "prop.status_pending": {"sv": "väntar", "en": "pending"},
    "prop.status_accepted": {"sv": "antaget", "en": "accepted"},
    "prop.status_declined": {"sv": "avböjt", "en": "declined"},
    "prop.status_merged": {"sv": "sammanslaget", "en": "merged"},
    "prop.accept": {"sv": "Anta", "en": "Accept"},
    "prop.decline": {"sv": "Avböj", "en": "Decline"},
    "prop.merge_into": {"sv": "Slå ihop med …", "en": "Merge into …"},
    "prop.merge": {"sv": "Slå ihop", "en": "Merge"},
    "prop.none": {"sv": "Inga förslag ännu.", "en": "No proposals yet."},
    "prop.by": {"sv": "av {name}", "en": "by {name}"},
    "prop.proposed": {"sv": "Föreslagen i workshoppen", "en": "Proposed in the workshop"},
    "ws.warmup_pick": {"sv": "Välj ett mål", "en": "Pick a goal"},
    "ws.timer_left": {"sv": "{m}:{s:02d} kvar", "en": "{m}:{s:02d} left"},
    "ws.timer_up": {"sv": "Tiden är ute", "en": "Time is up"},
    # --- errors from the workshop domain (keyed by WorkshopError.code) ---------------------------
    "err.unknown_code": {
        "sv": "Det finns ingen workshop med den koden.",
        "en": "There is no workshop with that code.",
    },
    "err.access_denied": {"sv": "Fel nyckel.", "en": "Wrong key."},
    "err.workshop_not_started": {
        "sv": "Workshoppen har inte börjat än.",
        "en": "The workshop has not started yet.",
    },
    "err.workshop_closed": {"sv": "Workshoppen är avslutad.", "en": "The workshop has ended."},
    "err.voting_closed": {"sv": "Röstningen är stängd.", "en": "Voting is closed."},
    "err.not_joined": {"sv": "Gå med i workshoppen först.", "en": "Join the workshop first."},
    "err.not_entitled": {
        "sv": "Du behöver en giltig deltagarkod.",
        "en": "You need a valid participant code.",
    },
    "err.unknown_item": {
        "sv": "Den konflikten finns inte på dagordningen.",
        "en": "That conflict is not on the agenda.",
    },
    "err.value_out_of_range": {
        "sv": "Värdet ligger utanför skalan.",
        "en": "The value is outside the scale.",
    },
    "err.value_required": {"sv": "Välj ett värde eller avstå.", "en": "Choose a value or skip."},
    "err.invalid_ballot": {"sv": "Rösten kunde inte tolkas.", "en": "The vote could not be read."},
    "err.wrong_method": {
        "sv": "Rösten passar inte röstningsmetoden.",
        "en": "The vote does not fit the voting method.",
    },
    "err.too_many_items": {"sv": "Du har valt för många.", "en": "You picked too many."},
    "err.duplicate_item": {
        "sv": "Samma konflikt finns två gånger.",
        "en": "The same conflict appears twice.",
    },
    "err.budget_exceeded": {
        "sv": "Du har inte så många poäng kvar.",
        "en": "You do not have that many points left.",
    },
    "err.text_too_long": {"sv": "Texten är för lång.", "en": "The text is too long."},
    "err.invalid_text": {
        "sv": "Texten innehåller otillåtna tecken.",
        "en": "The text contains characters that are not allowed.",
    },
    "err.invalid_value": {"sv": "Ogiltigt val.", "en": "Invalid choice."},
    "err.invalid_interaction": {
        "sv": "Samspelet kunde inte läggas till: kontrollera fälten.",
        "en": "The interaction could not be added: check the fields.",
    },
    "err.participant_code_invalid": {"sv": "Okänd deltagarkod.", "en": "Unknown participant code."},
    "err.participant_code_used": {
        "sv": "Deltagarkoden används redan.",
        "en": "The participant code is already in use.",
    },
    "err.invalid_setting": {"sv": "Ogiltig inställning.", "en": "Invalid setting."},
    "err.unknown_catalogue": {"sv": "Okänd katalog.", "en": "Unknown catalogue."},
    "err.unknown_node": {"sv": "Okänt mål eller delmål.", "en": "Unknown goal or sub-goal."},
    "err.self_loop": {"sv": "Välj två olika mål.", "en": "Choose two different goals."},
    "err.proposal_limit": {
        "sv": "Du har redan skickat så många förslag som går.",
        "en": "You have already sent as many proposals as allowed.",
    },
    "err.unknown_proposal": {"sv": "Okänt förslag.", "en": "Unknown proposal."},
    "err.proposal_not_pending": {
        "sv": "Förslaget är redan behandlat.",
        "en": "The proposal has already been handled.",
    },
    "err.no_timer": {"sv": "Ingen timer är startad.", "en": "No timer is running."},
    "err.invalid_duration": {"sv": "Ogiltig tid.", "en": "Invalid duration."},
    "err.database_unavailable": {
        "sv": "Databasen svarar inte just nu. Inget sparades; försök igen om en stund.",
        "en": "The database is not answering right now. Nothing was saved; try again in a moment.",
    },
    "err.database_misconfigured": {
        "sv": "Appens databas är felkonfigurerad (CONFLICTS_DATABASE_URL). Inget sparades; be den som driftar appen att läsa serverloggen.",
        "en": "The app's database is misconfigured (CONFLICTS_DATABASE_URL). Nothing was saved; ask whoever runs the app to read the server log.",
    },
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
    # --- facilitator console (issue 4) -----------------------------------------------------------
    "err.text_required": {
        "sv": "Ett obligatoriskt fält är tomt.",
        "en": "A required field is empty.",
    },
    "fac.choose": {"sv": "Interaktioner på dagordningen", "en": "Interactions on the agenda"},
    "fac.save_agenda": {"sv": "Spara dagordningen", "en": "Save the agenda"},
    "fac.remove": {"sv": "Ta bort", "en": "Remove"},
    "fac.no_step": {
        "sv": "Ingen punkt visas just nu: projektorn visar dagordningen.",
        "en": "No step is shown now: the projector shows the agenda.",
    },
    "fac.jump": {"sv": "Gå till steg", "en": "Go to step"},
    "fac.overview_option": {"sv": "– Översikt –", "en": "– Overview –"},
    "fac.new_title": {"sv": "Rubrik", "en": "Title"},
    "fac.new_description": {"sv": "Beskrivning", "en": "Description"},
    "fac.new_questions": {
        "sv": "Frågor för dialog (en per rad, högst 4)",
        "en": "Questions for dialogue (one per line, at most 4)",
    },
    "fac.warmup_question": {"sv": "Fråga", "en": "Question"},
    "fac.warmup_options": {
        "sv": "Deltagarna svarar med ett av katalogens mål.",
        "en": "Participants answer with one of the catalogue's goals.",
    },
    "fac.minutes": {"sv": "Minuter", "en": "Minutes"},
    "fac.timer_paused": {"sv": "pausad", "en": "paused"},
    "fac.questions": {"sv": "Frågor för dialog", "en": "Questions for dialogue"},
    "fac.prop_link": {"sv": "Kopplar {a} → {b}", "en": "Links {a} → {b}"},
    "fac.prop_score": {"sv": "Poäng när den antas", "en": "Score when accepted"},
    "fac.prop_status": {"sv": "Status: {status}", "en": "Status: {status}"},
    "fac.room_total": {"sv": "{n} deltagare i rummet", "en": "{n} participants in the room"},
    # --- room pages: projector and phone (issue 4) ------------------------------------------------
    "room.warmup": {"sv": "Uppvärmning", "en": "Warm-up"},
    "room.timer_paused": {"sv": "pausad", "en": "paused"},
    "room.outcome": {"sv": "Utfall", "en": "Outcome"},
    "room.owner": {"sv": "ansvarig: {owner}", "en": "owner: {owner}"},
    "room.agenda_empty": {"sv": "Dagordningen är tom.", "en": "The agenda is empty."},
    "room.needed_actors": {"sv": "Berörda aktörer: {names}", "en": "Actors concerned: {names}"},
    "room.summary": {
        "sv": "{n} deltagare i rummet; {missing} behövda saknas.",
        "en": "{n} participants in the room; {missing} needed are missing.",
    },
    "room.all_present": {
        "sv": "{n} deltagare i rummet; alla behövda finns.",
        "en": "{n} participants in the room; everyone needed is present.",
    },
    "prop.from": {"sv": "Första målet", "en": "First goal"},
    "prop.to": {"sv": "Andra målet", "en": "Second goal"},
    "prop.pick_node": {"sv": "Välj mål eller delmål", "en": "Choose a goal or sub-goal"},
    "prop.title_required": {"sv": "Skriv en kort rubrik.", "en": "Write a short title."},
    "prop.choose_nodes": {
        "sv": "Välj de två mål som konflikten gäller.",
        "en": "Choose the two goals the conflict links.",
    },
    "prop.left": {
        "sv": "Du kan skicka {n} av {max} förslag till.",
        "en": "You can send {n} more of {max} proposals.",
    },
    # --- results, report and exports (issue 5) ----------------------------------------------------
    "nav.results": {"sv": "Resultat", "en": "Results"},
    "res.title": {"sv": "Resultat: {title}", "en": "Results: {title}"},
    "res.report_title": {"sv": "Workshoprapport", "en": "Workshop report"},
    "res.catalogue": {"sv": "Katalog", "en": "Catalogue"},
    "res.code": {"sv": "Kod", "en": "Code"},
    "res.date": {"sv": "Datum", "en": "Date"},
    "res.status": {"sv": "Status", "en": "Status"},
    "res.method": {"sv": "Röstningsmetod", "en": "Voting method"},
    "res.participants": {"sv": "Deltagare", "en": "Participants"},
    "res.generated": {"sv": "Rapporten skapad {when}", "en": "Report generated {when}"},
    "res.graph": {
        "sv": "Nätverket efter rummets prioritering",
        "en": "The network by the room's priority",
    },
    "res.graph_help": {
        "sv": "Nodernas storlek visar hur högt rummet prioriterade deras konflikter; de numrerade "
        "märkena på linjerna är rummets rangordning (mörkare = högre prioritet).",
        "en": "Node size shows how high the room ranked their conflicts; the numbered badges on "
        "the lines are the room's ranking (darker = higher priority).",
    },
    "res.ranking": {"sv": "Rummets prioritering", "en": "The room's priorities"},
    "res.col_rank": {"sv": "Plats", "en": "Rank"},
    "res.col_conflict": {"sv": "Konflikt", "en": "Conflict"},
    "res.col_between": {"sv": "Mellan", "en": "Between"},
    "res.col_distribution": {"sv": "Fördelning", "en": "Distribution"},
    "res.col_mean": {"sv": "Medel", "en": "Mean"},
    "res.col_median": {"sv": "Median", "en": "Median"},
    "res.col_consensus": {"sv": "Samsyn", "en": "Consensus"},
    "res.col_dispersion": {"sv": "Spridning", "en": "Dispersion"},
    "res.col_participation": {"sv": "Deltagande", "en": "Participation"},
    "res.col_ballots": {"sv": "Röster", "en": "Ballots"},
    "res.col_skips": {"sv": "Avstod", "en": "Skipped"},
    "res.col_total": {"sv": "Summa", "en": "Total"},
    "res.col_room_score": {"sv": "Rummets poäng", "en": "Room's score"},
    "res.col_catalogue_score": {"sv": "Katalogens poäng", "en": "Catalogue's score"},
    "res.col_outcome": {"sv": "Utfall", "en": "Outcome"},
    "res.col_missing": {"sv": "Saknades i rummet", "en": "Missing from the room"},
    "res.col_origin": {"sv": "Ursprung", "en": "Origin"},
    "res.origin_catalogue": {"sv": "katalogen", "en": "catalogue"},
    "res.origin_facilitator": {
        "sv": "tillagd av workshopledaren",
        "en": "added by the facilitator",
    },
    "res.origin_proposal": {"sv": "deltagarförslag", "en": "participant proposal"},
    "res.no_items": {"sv": "Inga konflikter på dagordningen.", "en": "No conflicts on the agenda."},
    "res.no_ballots": {"sv": "Inga röster ännu.", "en": "No ballots yet."},
    "res.outcomes": {
        "sv": "Utfall, ansvar och nästa steg",
        "en": "Outcomes, owners and next steps",
    },
    "res.no_outcomes": {"sv": "Inga utfall har antecknats.", "en": "No outcomes were recorded."},
    "res.owner": {"sv": "Ansvarig", "en": "Owner"},
    "res.next_step": {"sv": "Nästa steg", "en": "Next step"},
    "res.due": {"sv": "Klart senast", "en": "Due"},
    "res.notes": {"sv": "Anteckningar", "en": "Notes"},
    "res.proposals": {"sv": "Antagna förslag", "en": "Accepted proposals"},
    "res.no_proposals": {"sv": "Inga förslag antogs.", "en": "No proposals were accepted."},
    "res.proposal_counts": {
        "sv": "Förslag från deltagarna: {accepted} antagna, {declined} avböjda, {merged} "
        "sammanslagna, {pending} obehandlade.",
        "en": "Participants' proposals: {accepted} accepted, {declined} declined, {merged} merged, "
        "{pending} not handled.",
    },
    "res.representation": {"sv": "Vilka var representerade", "en": "Who was represented"},
    "res.by_actor_type": {"sv": "Efter aktörstyp", "en": "By actor type"},
    "res.by_level": {"sv": "Efter beslutsnivå", "en": "By decision level"},
    "res.not_stated": {"sv": "Ej angett", "en": "Not stated"},
    "res.fewer_than": {"sv": "färre än {n}", "en": "fewer than {n}"},
    "res.nobody": {"sv": "Ingen har anslutit.", "en": "Nobody joined."},
    "res.missing_none": {"sv": "ingen", "en": "nobody"},
    "res.warmups": {"sv": "Uppvärmning", "en": "Warm-ups"},
    "res.method_title": {"sv": "Metod", "en": "Method"},
    "res.method_rating": {
        "sv": "Varje deltagare gav varje konflikt en prioritet 1–5 (5 = mycket viktig att hantera "
        "nu); rangordningen följer medelvärdet.",
        "en": "Each participant gave each conflict a priority of 1–5 (5 = very important to deal "
        "with now); the ranking follows the mean.",
    },
    "res.method_score": {
        "sv": "Varje deltagare bedömde interaktionen på skalan −3 (omöjliggörande) … +3 (odelbart); "
        "rangordningen sätter den starkaste konflikten (lägsta medelvärdet) först. Rummets "
        "bedömning visas bredvid katalogens.",
        "en": "Each participant scored the interaction on the −3 (cancelling) … +3 (indivisible) "
        "scale; the ranking puts the strongest conflict (lowest mean) first. The room's score is "
        "shown beside the catalogue's.",
    },
    "res.method_dots": {
        "sv": "Varje deltagare fördelade {budget} poäng över konflikterna; rangordningen följer "
        "summan.",
        "en": "Each participant spread {budget} points over the conflicts; the ranking follows the "
        "total.",
    },
    "res.method_ranking": {
        "sv": "Varje deltagare valde de {n} viktigaste konflikterna i ordning ({n} poäng för den "
        "första … 1 för den sista); rangordningen följer poängsumman.",
        "en": "Each participant picked the {n} most important conflicts in order ({n} points for "
        "the first … 1 for the last); the ranking follows the points.",
    },
    "res.method_measures": {
        "sv": "Samsyn är Tastle–Wiermans mått (1 = alla gav samma svar, 0 = rummet delat mellan "
        "skalans ytterlägen); spridning = 1 − samsyn. Deltagande = antal röster (utan de som "
        "avstod) delat med antalet anslutna deltagare.",
        "en": "Consensus is Tastle–Wierman's measure (1 = everyone gave the same answer, 0 = the "
        "room split between the two ends of the scale); dispersion = 1 − consensus. Participation "
        "= ballots (skips excluded) divided by the number of participants who joined.",
    },
    "res.method_anonymity": {
        "sv": "Rapporten och exporterna är anonyma: inga namn eller röst-id:n. Deltagarnas "
        "självbeskrivning (aktörstyp, beslutsnivå) redovisas bara som antal.",
        "en": "The report and the exports are anonymous: no names or voter ids. Participants' "
        "self-descriptions (actor type, decision level) appear only as counts.",
    },
    "res.downloads": {"sv": "Ladda ner", "en": "Download"},
    "res.download_html": {"sv": "Rapport (HTML)", "en": "Report (HTML)"},
    "res.download_md": {"sv": "Sammanfattning (Markdown)", "en": "Summary (Markdown)"},
    "res.download_csv": {"sv": "Röster och resultat (CSV)", "en": "Ballots and tallies (CSV)"},
    "res.download_json": {"sv": "Röster och resultat (JSON)", "en": "Ballots and tallies (JSON)"},
    "res.download_yaml": {
        "sv": "Katalogen med workshoppens tillägg (YAML)",
        "en": "The catalogue with the workshop's additions (YAML)",
    },
    "res.download_help": {
        "sv": "HTML-rapporten fungerar utan nätverk och kan skrivas ut som PDF från webbläsaren. "
        "YAML-filen är katalogen för nästa runda: antagna förslag och antecknade utfall är med.",
        "en": "The HTML report works offline and can be printed to PDF from the browser. The YAML "
        "file is the catalogue for the next round, with accepted proposals and recorded outcomes.",
    },
    "res.compare": {"sv": "Jämför med en annan workshop", "en": "Compare with another workshop"},
    "res.compare_help": {
        "sv": "Till exempel två rundor eller två delregioner på samma katalog.",
        "en": "For example two rounds, or two sub-regions, on the same catalogue.",
    },
    "res.compare_code": {"sv": "Den andra workshoppens kod", "en": "The other workshop's code"},
    "res.compare_key": {
        "sv": "Dess nyckel (behövs inte om du redan låst upp den)",
        "en": "Its key (not needed if you already unlocked it)",
    },
    "res.compare_submit": {"sv": "Jämför", "en": "Compare"},
    "res.compare_heading": {"sv": "{a} jämfört med {b}", "en": "{a} compared with {b}"},
    "res.compare_same": {"sv": "Välj en annan workshop.", "en": "Pick another workshop."},
    "res.col_rank_in": {"sv": "Plats i {code}", "en": "Rank in {code}"},
    "res.col_mean_in": {"sv": "Medel i {code}", "en": "Mean in {code}"},
    "res.col_rank_change": {"sv": "Förflyttning", "en": "Moved"},
    "res.col_mean_change": {"sv": "Ändring av medel", "en": "Change of mean"},
    "res.col_consensus_change": {"sv": "Ändring av samsyn", "en": "Change of consensus"},
    "res.col_view_changed": {"sv": "Ändrad uppfattning", "en": "View changed"},
    "res.moved_up": {"sv": "Flyttade upp: {items}", "en": "Moved up: {items}"},
    "res.moved_down": {"sv": "Flyttade ned: {items}", "en": "Moved down: {items}"},
    "res.changed_view": {
        "sv": "Här ändrade rummet uppfattning: {items}",
        "en": "Where the room changed its view: {items}",
    },
    "res.nothing_moved": {
        "sv": "Rangordningen är densamma.",
        "en": "The ranking is the same.",
    },
    "res.only_in": {"sv": "Bara i {code}: {items}", "en": "Only in {code}: {items}"},
    "res.other_version": {
        "sv": "Obs: workshopparna använde olika versioner av katalogen.",
        "en": "Note: the workshops used different versions of the catalogue.",
    },
    "res.other_method": {
        "sv": "Obs: olika röstningsmetoder; medelvärdena går inte att jämföra, bara platserna.",
        "en": "Note: different voting methods; the means are not comparable, only the ranks.",
    },
    "err.catalogue_mismatch": {
        "sv": "Workshopparna använder olika kataloger ({a} och {b}) och kan inte jämföras.",
        "en": "The workshops use different catalogues ({a} and {b}) and cannot be compared.",
    },
    # --- series: several rooms on one catalogue (conflicts.series) -------------------------------
    "nav.series": {"sv": "Regional vy", "en": "Regional view"},
    "nav.series_projector": {"sv": "Regional projektor", "en": "Regional projector"},
    "series.report_title": {"sv": "Regionalt rådslag", "en": "Regional rådslag"},
    "series.id": {"sv": "Serie", "en": "Series"},
    "series.rooms": {"sv": "Rum", "en": "Rooms"},
    "series.room_title": {"sv": "Rum (workshop)", "en": "Room (workshop)"},
    "series.ranking": {"sv": "Regional prioritering", "en": "Regional priority"},
    "series.rank": {"sv": "Plats", "en": "Rank"},
    "series.conflict": {"sv": "Konflikt", "en": "Conflict"},
    "series.aggregate": {"sv": "Regionen", "en": "Region"},
    "series.spread": {"sv": "Spridning", "en": "Spread"},
    "series.outlier": {"sv": "avviker mest", "en": "departs most"},
    "series.outcome": {"sv": "Utfall", "en": "Outcome"},
    "series.missing": {"sv": "Saknas i alla rum", "en": "Missing in every room"},
    "series.none": {"sv": "Inget ännu.", "en": "Nothing yet."},
    "series.cell_help": {
        "sv": "Varje rums värde (medel; för poäng och rangordning poäng per deltagare), n = antal "
        "röster, k = konsensus (1 = alla eniga). Spridning: hur olika rummen röstar (0 = lika, "
        "0,5 = två rum i var sin ände av skalan).",
        "en": "Each room's value (the mean; for dots and ranking points per participant), n = "
        "ballots, k = consensus (1 = everyone agrees). Spread: how differently the rooms vote "
        "(0 = alike, 0.5 = two rooms at opposite ends of the scale).",
    },
    "series.disagree": {"sv": "Där rummen skiljer sig mest", "en": "Where the rooms differ most"},
    "series.departing": {
        "sv": "Rummet som avviker mest från de andra: {room}.",
        "en": "The room that departs most from the others: {room}.",
    },
    "series.outcomes": {
        "sv": "Utfall, ansvariga och nästa steg per beslutsnivå",
        "en": "Outcomes, owners and next steps by decision level",
    },
    "series.level_none": {"sv": "Ingen nivå angiven", "en": "No level named"},
    "series.proposals": {
        "sv": "Förslag från alla rum (dubbletter sammanslagna)",
        "en": "Proposals from every room (duplicates merged)",
    },
    "series.representation": {
        "sv": "Representation över rummen",
        "en": "Representation across the rooms",
    },
    "series.weighting_equal": {
        "sv": "Varje rum väger lika.",
        "en": "Each room weighs the same.",
    },
    "series.weighting_participants": {
        "sv": "Rummen väger efter antal deltagare.",
        "en": "Rooms weigh by their number of participants.",
    },
    "series.weighting": {"sv": "Vikta rummen", "en": "Weigh the rooms"},
    "series.mixed_methods": {
        "sv": "Rummen röstar med olika metoder. De visas sida vid sida men medelvärdesbildas inte "
        "ihop: ett medelbetyg och poäng per deltagare är inte samma enhet, och att räkna om det "
        "ena till det andra vore en växelkurs som ingen har röstat om. Den regionala "
        "prioriteringen bygger på metoden som flest rum använder.",
        "en": "The rooms vote with different methods. They are shown side by side but not "
        "averaged together: a mean rating and points per participant are not the same unit, and "
        "converting one into the other would be a rate of exchange nobody voted on. The regional "
        "priority rests on the method most rooms use.",
    },
    "series.other_methods": {"sv": "Rum med annan metod", "en": "Rooms with another method"},
    "series.key": {"sv": "Seriens nyckel", "en": "Series key"},
    "series.unlock": {"sv": "Öppna", "en": "Open"},
    "series.enter_id": {"sv": "Seriens id (t.ex. S-7KQ3XM)", "en": "Series id (e.g. S-7KQ3XM)"},
    "series.no_id": {
        "sv": "Ange seriens id i adressen: /series?id=S-…",
        "en": "Give the series id in the address: /series?id=S-…",
    },
    "series.no_rooms": {"sv": "Serien har inga rum ännu.", "en": "The series has no rooms yet."},
    "series.ballots_total": {
        "sv": "{n} röster i {rooms} rum",
        "en": "{n} ballots in {rooms} rooms",
    },
    "series.map": {"sv": "Rummen", "en": "The rooms"},
    "series.download": {"sv": "Ladda ner", "en": "Download"},
    "series.box": {"sv": "Regional serie", "en": "Regional series"},
    "series.box_help": {
        "sv": "En serie samlar workshoppar på samma katalog i en regional vy.",
        "en": "A series gathers workshops on the same catalogue in one regional view.",
    },
    "series.member_of": {"sv": "Rummet ingår i: {ids}", "en": "This room belongs to: {ids}"},
    "series.title": {"sv": "Seriens titel", "en": "Series title"},
    "series.create": {"sv": "Skapa serie med detta rum", "en": "Create a series with this room"},
    "series.created": {
        "sv": "Serie {id} skapad. Nyckeln visas bara nu:",
        "en": "Series {id} created. The key is shown only now:",
    },
    "series.add": {"sv": "Lägg till i serie", "en": "Add to a series"},
    "series.added": {"sv": "Rummet lades till i {id}.", "en": "The room was added to {id}."},
    "series.remove": {"sv": "Ta bort ett rum ur serien", "en": "Remove a room from the series"},
    "series.remove_pick": {"sv": "Rum", "en": "Room"},
    "series.remove_button": {"sv": "Ta bort rummet", "en": "Remove the room"},
    "series.remove_confirm": {
        "sv": "Ta bort {code} ur {id}? Rummets workshop och resultat finns kvar, men den "
        "regionala vyn, projektorn och exporterna visar det inte längre.",
        "en": "Remove {code} from {id}? The room's workshop and results stay, but the regional "
        "view, projector and exports no longer show it.",
    },
    "series.remove_yes": {"sv": "Ja, ta bort", "en": "Yes, remove"},
    "series.remove_no": {"sv": "Avbryt", "en": "Cancel"},
    "series.removed": {"sv": "{code} togs bort ur {id}.", "en": "{code} was removed from {id}."},
    "series.links": {
        "sv": "Regional vy: {view} · Regional projektor: {projector}",
        "en": "Regional view: {view} · Regional projector: {projector}",
    },
    "err.unknown_series": {"sv": "Ingen serie med id {series}.", "en": "No series {series}."},
    "err.series_catalogue_mismatch": {
        "sv": "Workshop {code_value} använder en annan katalog än serien.",
        "en": "Workshop {code_value} runs on another catalogue than the series.",
    },
    "err.series_empty": {"sv": "Serien har inga rum.", "en": "The series has no rooms."},
    "err.not_in_series": {
        "sv": "Workshop {code_value} ingår inte i serien {series}.",
        "en": "Workshop {code_value} is not in series {series}.",
    },
}


from conflicts.i18n_console import CONSOLE  # noqa: E402  (the console's part of the table)

TRANSLATIONS.update(CONSOLE)

from conflicts.i18n_matrix import MATRIX  # noqa: E402  (the matrix scoring session's part)

TRANSLATIONS.update(MATRIX)


def normalise_language(value: str | None) -> str:
    """A supported language code for ``value`` (e.g. 'en-GB' -> 'en'), else the default."""
    code = (value or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str, /, **values: object) -> str:
    """The UI text ``key`` in ``lang``, formatted with ``values``.

    An unknown key raises ``KeyError`` (a test keeps every key used in the code present). With
    ``n=1``, the key's ``_one`` variant is used when there is one (the singular).

    >>> t("ws.ballots_in", "sv", n=1), t("ws.ballots_in", "sv", n=2)
    ('1 röst inne', '2 röster inne')
    """
    if values.get("n") == 1 and f"{key}_one" in TRANSLATIONS:
        key = f"{key}_one"  # the singular: "1 röst inne", not "1 röster inne"
    entry = TRANSLATIONS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


def scale_name(score: int, lang: str) -> str:
    """The 7-point scale's name for ``score`` in ``lang`` (e.g. -2 -> 'counteracting')."""
    from conflicts.catalogue import SCALE

    sv, en = SCALE[score]
    return en if lang == "en" else sv
