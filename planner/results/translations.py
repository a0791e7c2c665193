"""Every label, heading and term the reports print, in English and Norwegian (bokmål).

One table, `TEXT`: key → {"en": ..., "nb": ...}. Texts may hold `{placeholders}` that
`Translator.__call__` fills in. Names from the instance (pools, products, workloads, tiers,
units, sources) are never translated; only the tool's own words are.

The Norwegian terms follow the ministry's tables (the report's Tabell 1): "Investering
Sigma2", "Drift", "Investering gjennom EuroHPC", "Sum", "Ikke dekket behov", "Kapasitet".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

LANGUAGES = ("en", "nb")

TEXT: dict[str, dict[str, str]] = {
    # --- the report as a whole -------------------------------------------------------
    "report.title": {"en": "Investment plan", "nb": "Investeringsplan"},
    "report.subtitle": {"en": "National HPC and AI capacity {first}–{last}",
                        "nb": "Nasjonal kapasitet for tungregning og KI {first}–{last}"},
    "report.made_by": {"en": "Made by {tool} {version} on {timestamp} (UTC).",
                       "nb": "Laget av {tool} {version} {timestamp} (UTC)."},
    "report.contents": {"en": "Contents", "nb": "Innhold"},
    "report.no_plan": {"en": "The solver found no plan: {status}.",
                       "nb": "Løseren fant ingen plan: {status}."},
    # --- sections ---------------------------------------------------------------------
    "section.summary": {"en": "Summary", "nb": "Sammendrag"},
    "section.charts": {"en": "Charts", "nb": "Figurer"},
    "section.financing": {"en": "Financing plan", "nb": "Finansieringsplan"},
    "section.purchases": {"en": "Purchases", "nb": "Innkjøp"},
    "section.capacity": {"en": "Capacity", "nb": "Kapasitet"},
    "section.coverage": {"en": "Demand and coverage", "nb": "Behov og dekning"},
    "section.shares": {"en": "EuroHPC share and national share",
                       "nb": "EuroHPC-andel og nasjonal andel"},
    "section.budget": {"en": "Budget caps", "nb": "Budsjettrammer"},
    "section.assumptions": {"en": "Assumptions", "nb": "Forutsetninger"},
    "section.metadata": {"en": "How the plan was computed", "nb": "Om beregningen"},
    # --- summary ----------------------------------------------------------------------
    "summary.status.optimal": {
        "en": "The plan is optimal: no plan under the same assumptions costs less (proven "
              "within a relative gap of {gap}).",
        "nb": "Planen er optimal: ingen plan med de samme forutsetningene koster mindre "
              "(bevist innenfor et relativt gap på {gap})."},
    "summary.status.stopped": {
        "en": "The solver stopped at a limit: this is the best plan found, NOT proven "
              "optimal (gap {gap}).",
        "nb": "Løseren stoppet ved en grense: dette er den beste planen som ble funnet, "
              "IKKE bevist optimal (gap {gap})."},
    "summary.key_figures": {"en": "Key figures", "nb": "Nøkkeltall"},
    "summary.spending": {"en": "Spending {first}–{last}", "nb": "Utgifter {first}–{last}"},
    "summary.of_budget": {"en": "of a total budget of {cap} MNOK",
                          "nb": "av en totalramme på {cap} MNOK"},
    "summary.what_is_bought": {"en": "What is bought", "nb": "Hva som kjøpes"},
    "summary.nothing_bought": {"en": "Nothing is bought.", "nb": "Ingenting kjøpes."},
    "summary.what_stays_unserved": {"en": "What stays unserved",
                                    "nb": "Hva som ikke blir dekket"},
    "summary.all_served": {"en": "All demand is served in every year.",
                           "nb": "Alt behov dekkes hvert år."},
    "summary.unserved_line": {
        "en": "{workload}: {total} {unit} unserved in all, summed over the years; most in "
              "{year}: {amount} {unit} ({share} of demand).",
        "nb": "{workload}: {total} {unit} ikke dekket i alt, summert over årene; mest i "
              "{year}: {amount} {unit} ({share} av behovet)."},
    "summary.under": {"en": "under {value}", "nb": "under {value}"},
    "summary.others_served": {"en": "Every other workload is fully served.",
                              "nb": "Alle andre arbeidslaster dekkes fullt ut."},
    "summary.which_rules_bind": {"en": "Which rules bind", "nb": "Hvilke regler som binder"},
    "summary.no_rule_binds": {"en": "No cap or rule is reached.",
                              "nb": "Ingen ramme eller regel nås."},
    "summary.cap_reached": {
        "en": "{cap} {year}: {spent} of {limit} MNOK spent",
        "nb": "{cap} {year}: {spent} av {limit} MNOK brukt"},
    "summary.marginal": {
        "en": "one more MNOK here would change the objective by {value} MNOK",
        "nb": "én MNOK mer her ville endre målfunksjonen med {value} MNOK"},
    "summary.zero_caps": {
        "en": "{cap} is capped at 0 in {years} (none allowed).",
        "nb": "{cap} har ramme 0 i {years} (ikke tillatt)."},
    "summary.share_at_bound": {
        "en": "EuroHPC share {years}: {value}, at its {bound} of {limit}",
        "nb": "EuroHPC-andel {years}: {value}, ved {bound} på {limit}"},
    "summary.national_at_bound": {
        "en": "National share of {resource} in {year}: {value}, at its minimum of {limit}",
        "nb": "Nasjonal andel av {resource} i {year}: {value}, ved minstekravet på {limit}"},
    "summary.coverage_at_bound": {
        "en": "Minimum coverage of {workload} ({limit}) reached in {years}",
        "nb": "Minste dekningsgrad for {workload} ({limit}) nådd i {years}"},
    "summary.limit_reached": {
        "en": "Limit of pool {pool} for {resource} ({limit} {unit}) reached in {years}",
        "nb": "Grensen for anlegget {pool} for {resource} ({limit} {unit}) nådd i {years}"},
    "summary.bound.min": {"en": "minimum", "nb": "minstekrav"},
    "summary.bound.max": {"en": "maximum", "nb": "maksimum"},
    "summary.binding_note": {
        "en": "A cap counts as reached (binding) when its spending, shown to 0.1 MNOK, "
              "equals the cap.",
        "nb": "En ramme regnes som nådd (bindende) når det som er brukt, vist med 0,1 MNOK "
              "nøyaktighet, er lik rammen."},
    "summary.warnings": {"en": "Warnings", "nb": "Advarsler"},
    "summary.objective_explained": {
        "en": "The objective is the plan's discounted cost: spending plus the penalty for "
              "unserved demand, discounted at {rate} a year, less the salvage credit for "
              "equipment life left after {last}.",
        "nb": "Målfunksjonen er planens neddiskonterte kostnad: utgifter pluss "
              "straffekostnaden for behov som ikke dekkes, diskontert med {rate} per år, "
              "minus restverdien av utstyr som har levetid igjen etter {last}."},
    # --- cost summary -----------------------------------------------------------------
    "cost.title": {"en": "Cost summary (MNOK)", "nb": "Kostnader (MNOK)"},
    "cost.note": {
        "en": "Objective = spending, discounted + penalty, discounted − salvage credit; "
              "nominal figures are not discounted.",
        "nb": "Målfunksjon = utgifter, neddiskontert + straffekostnad, neddiskontert − "
              "restverdi; nominelle tall er ikke neddiskontert."},
    "cost.spending_mnok": {"en": "Spending (nominal)", "nb": "Utgifter (nominelle)"},
    "cost.national_investment_mnok": {"en": "of which national investment",
                                      "nb": "herav Investering Sigma2"},
    "cost.eurohpc_investment_mnok": {"en": "of which investment through EuroHPC",
                                     "nb": "herav Investering gjennom EuroHPC"},
    "cost.operations_mnok": {"en": "of which operations", "nb": "herav Drift"},
    "cost.unserved_penalty_mnok": {"en": "Penalty for unserved demand (nominal)",
                                   "nb": "Straffekostnad for ikke dekket behov (nominell)"},
    "cost.discounted_spending_mnok": {"en": "Spending, discounted",
                                      "nb": "Utgifter, neddiskontert"},
    "cost.discounted_unserved_penalty_mnok": {"en": "Penalty, discounted",
                                              "nb": "Straffekostnad, neddiskontert"},
    "cost.salvage_mnok": {"en": "Salvage credit for life left after the horizon",
                          "nb": "Restverdi av levetid etter perioden"},
    "cost.objective_mnok": {"en": "Objective (discounted cost)",
                            "nb": "Målfunksjon (neddiskontert kostnad)"},
    # --- financing lines (Tabell 1) ---------------------------------------------------
    "line.national_investment": {"en": "National investment", "nb": "Investering Sigma2"},
    "line.operations": {"en": "Operations", "nb": "Drift"},
    "line.eurohpc_investment": {"en": "Investment through EuroHPC",
                                "nb": "Investering gjennom EuroHPC"},
    "line.sum": {"en": "Sum", "nb": "Sum"},
    "financing.title": {"en": "Financing plan (MNOK, nominal), layout of Tabell 1",
                        "nb": "Finansieringsplan (mill. kr, nominelle), oppsett som Tabell 1"},
    "financing.line": {"en": "MNOK", "nb": "Mill. kr"},
    "col.total": {"en": "Total", "nb": "Totalt"},
    # --- budget caps ------------------------------------------------------------------
    "cap.total": {"en": "Total budget", "nb": "Totalramme"},
    "cap.yearly": {"en": "Yearly budget", "nb": "Årlig ramme"},
    "cap.investment": {"en": "Investment", "nb": "Investering"},
    "cap.national_investment": {"en": "National investment", "nb": "Investering Sigma2"},
    "cap.eurohpc_investment": {"en": "Investment through EuroHPC",
                               "nb": "Investering gjennom EuroHPC"},
    "cap.operations": {"en": "Operations", "nb": "Drift"},
    "cap.all_years": {"en": "all years", "nb": "alle år"},
    # --- why money stays unspent (planner.analyses.unspent) ------------------------------
    "section.unspent": {"en": "Why money stays unspent", "nb": "Hvorfor penger står ubrukt"},
    "unspent.title": {"en": "Unserved demand while money is left: the reason per workload "
                            "and year",
                      "nb": "Udekket behov mens penger står igjen: årsaken per arbeidslast "
                            "og år"},
    "unspent.left": {"en": "Money left under the caps:", "nb": "Penger igjen under rammene:"},
    "unspent.cap_left": {"en": "{cap} {year}: {slack} MNOK left",
                         "nb": "{cap} {year}: {slack} MNOK igjen"},
    "unspent.col.reason": {"en": "Why", "nb": "Hvorfor"},
    "unspent.col.penalty": {"en": "Penalty (MNOK per unit-year)",
                            "nb": "Straff (MNOK per enhet og år)"},
    "unspent.col.cost": {"en": "Cheapest way (MNOK per unit-year)",
                         "nb": "Billigste måte (MNOK per enhet og år)"},
    "unspent.col.confirmed": {"en": "Confirmed by a re-solve", "nb": "Bekreftet ved ny løsning"},
    "unspent.reason.cap": {
        "en": "stopped by the {rule} cap in {year}: {slack} MNOK left, one unit of {way} "
              "needs {needed} MNOK",
        "nb": "stoppet av rammen {rule} i {year}: {slack} MNOK igjen, én enhet {way} "
              "trenger {needed} MNOK"},
    "unspent.reason.operations": {
        "en": "stopped by the operations line in {year}: {slack} MNOK left, one unit of "
              "{way} needs {needed} MNOK a year to run",
        "nb": "stoppet av driftslinjen i {year}: {slack} MNOK igjen, én enhet {way} "
              "trenger {needed} MNOK i året i drift"},
    "unspent.reason.total": {
        "en": "stopped by the total budget: {slack} MNOK left, one unit of {way} needs "
              "{needed} MNOK",
        "nb": "stoppet av totalrammen: {slack} MNOK igjen, én enhet {way} trenger "
              "{needed} MNOK"},
    "unspent.reason.eurohpc_share": {
        "en": "stopped by the EuroHPC share's {rule}imum: room for {slack} MNOK, one unit "
              "of {way} needs {needed} MNOK",
        "nb": "stoppet av EuroHPC-andelens {rule}imum: plass til {slack} MNOK, én enhet "
              "{way} trenger {needed} MNOK"},
    "unspent.reason.national_share": {
        "en": "stopped by the national share's minimum for {rule} in {year} ({way} is abroad)",
        "nb": "stoppet av minimum nasjonal andel for {rule} i {year} ({way} er i utlandet)"},
    "unspent.reason.pool_limit": {
        "en": "stopped by the limit of pool {rule} in {year}",
        "nb": "stoppet av grensen for {rule} i {year}"},
    "unspent.reason.batch_limit": {
        "en": "stopped by the most units of {rule} that can be bought in {year} (its batch "
              "max_units)",
        "nb": "stoppet av flest enheter {rule} som kan kjøpes i {year} (max_units for "
              "partiet)"},
    "unspent.reason.lead_time": {
        "en": "no purchase can be in service in {year} (lead times, the years products "
              "can be bought)",
        "nb": "ingen kjøp kan være i drift i {year} (leveringstid, årene produktene kan "
              "kjøpes)"},
    "unspent.reason.cost": {
        "en": "serving it costs more than its penalty: the cheapest way ({way}, {way_year}) "
              "costs {cost} MNOK per unit-year, the penalty is {penalty}",
        "nb": "å dekke det koster mer enn straffen: billigste måte ({way}, {way_year}) "
              "koster {cost} MNOK per enhet og år, straffen er {penalty}"},
    "unspent.reason.unexplained": {
        "en": "no rule found: the cheapest way ({way}, {way_year}) costs {cost} MNOK per "
              "unit-year, the penalty is {penalty}",
        "nb": "ingen regel funnet: billigste måte ({way}, {way_year}) koster {cost} MNOK "
              "per enhet og år, straffen er {penalty}"},
    "unspent.also_cost": {
        "en": "; it would also cost {cost} MNOK per unit-year, more than the penalty",
        "nb": "; det ville også koste {cost} MNOK per enhet og år, mer enn straffen"},
    "unspent.confirmed": {
        "en": "yes: with {relaxation}, {after} of {demand} served (was {before})",
        "nb": "ja: med {relaxation} dekkes {after} av {demand} (var {before})"},
    "unspent.not_confirmed": {
        "en": "no: with {relaxation}, {after} of {demand} served (was {before})",
        "nb": "nei: med {relaxation} dekkes {after} av {demand} (var {before})"},
    "unspent.room_factor": {
        "en": " ({factor} × the room the way alone needs: with less, the re-solve spent it on "
              "other uses the same rule holds back)",
        "nb": " ({factor} × rommet måten alene trenger: med mindre brukte den nye løsningen "
              "det på andre formål som den samme regelen holder tilbake)"},
    "unspent.note": {
        "en": "A reason is read from the plan: the cheapest way to serve one more unit "
              "(idle capacity, cloud, or one more unit bought) and the rule that stops it. "
              "The largest unserved amount (by its penalty) is confirmed by solving again "
              "without its reason.",
        "nb": "Årsaken leses fra planen: den billigste måten å dekke én enhet til (ledig "
              "kapasitet, sky eller én enhet til kjøpt) og regelen som stopper den. Den "
              "største udekkede mengden (etter straff) bekreftes ved å løse på nytt uten "
              "årsaken."},
    "cap.history_year": {"en": "{year} (history)", "nb": "{year} (historikk)"},
    # --- table columns ----------------------------------------------------------------
    "col.line": {"en": "Line", "nb": "Post"},
    "col.year": {"en": "Year", "nb": "År"},
    "col.years": {"en": "Years", "nb": "År"},
    "col.product": {"en": "Product", "nb": "Produkt"},
    "col.pool": {"en": "Pool", "nb": "Anlegg"},
    "col.kind": {"en": "Kind", "nb": "Type"},
    "col.tier": {"en": "Tier", "nb": "Graderingsnivå"},
    "col.units": {"en": "Units", "nb": "Enheter"},
    "col.unit": {"en": "Unit", "nb": "Måleenhet"},
    "col.unit_capex_mnok": {"en": "MNOK per unit", "nb": "MNOK per enhet"},
    "col.capex_mnok": {"en": "Investment (MNOK)", "nb": "Investering (MNOK)"},
    "col.batch_fixed_capex_mnok": {"en": "Fixed cost of the batch (MNOK)",
                                   "nb": "Fast kostnad for partiet (MNOK)"},
    "col.committed": {"en": "Committed", "nb": "Kontraktfestet"},
    "col.first_year_in_service": {"en": "In service from", "nb": "I drift fra"},
    "col.resource": {"en": "Resource", "nb": "Ressurs"},
    "col.capacity": {"en": "Capacity in service", "nb": "Kapasitet i drift"},
    "col.used": {"en": "Capacity used", "nb": "Kapasitet i bruk"},
    "col.measure": {"en": "Measure", "nb": "Størrelse"},
    "col.workload": {"en": "Workload", "nb": "Arbeidslast"},
    "col.demand": {"en": "Demand", "nb": "Behov"},
    "col.served": {"en": "Served", "nb": "Dekket"},
    "col.unserved": {"en": "Unserved", "nb": "Ikke dekket behov"},
    "col.coverage": {"en": "Coverage", "nb": "Dekningsgrad"},
    "col.min_coverage": {"en": "Minimum coverage", "nb": "Minste dekningsgrad"},
    "col.unserved_penalty_mnok": {"en": "Penalty (MNOK)", "nb": "Straffekostnad (MNOK)"},
    "col.share": {"en": "Share", "nb": "Andel"},
    "col.of": {"en": "Of", "nb": "Av"},
    "col.value": {"en": "Value", "nb": "Verdi"},
    "col.min": {"en": "Minimum", "nb": "Minstekrav"},
    "col.max": {"en": "Maximum", "nb": "Maksimum"},
    "col.numerator": {"en": "Numerator", "nb": "Teller"},
    "col.base": {"en": "Base", "nb": "Grunnlag"},
    "col.bounds_met": {"en": "Bounds met", "nb": "Krav oppfylt"},
    "col.cap": {"en": "Budget line", "nb": "Budsjettpost"},
    "col.cap_mnok": {"en": "Cap (MNOK)", "nb": "Ramme (MNOK)"},
    "col.spent_mnok": {"en": "Spent (MNOK)", "nb": "Brukt (MNOK)"},
    "col.slack_mnok": {"en": "Left (MNOK)", "nb": "Ubrukt (MNOK)"},
    "col.binding": {"en": "Binding", "nb": "Bindende"},
    "col.marginal_value": {"en": "Marginal value (MNOK per MNOK)",
                           "nb": "Marginalverdi (MNOK per MNOK)"},
    "col.item": {"en": "Item", "nb": "Element"},
    "col.source": {"en": "Source", "nb": "Kilde"},
    "col.key": {"en": "Key", "nb": "Nøkkel"},
    "col.name": {"en": "Name", "nb": "Navn"},
    "col.years_bought": {"en": "Years bought", "nb": "Kjøpsår"},
    "col.note": {"en": "Note", "nb": "Merknad"},
    # --- table titles and notes -------------------------------------------------------
    "purchases.title": {"en": "Purchases", "nb": "Innkjøp"},
    "purchases.by_product": {"en": "Purchases by product", "nb": "Innkjøp per produkt"},
    "purchases.committed_note": {"en": "committed", "nb": "kontraktfestet"},
    "capacity.title": {"en": "Capacity in service and used, per pool and resource",
                       "nb": "Kapasitet i drift og i bruk, per anlegg og ressurs"},
    "coverage.title": {"en": "Demand served and unserved, per workload",
                       "nb": "Behov, dekket og ikke dekket behov per arbeidslast"},
    "shares.title": {"en": "Policy shares against their bounds", "nb": "Andeler mot kravene"},
    "budget.title": {"en": "Budget caps (MNOK)", "nb": "Budsjettrammer (MNOK)"},
    "budget.history_word": {"en": "history", "nb": "historikk"},
    "budget.history_note": {
        "en": "Years marked (history) were spent before the plan starts: their caps bind "
              "nothing; a negative slack there is an overrun.",
        "nb": "År merket (historikk) er brukt før planen starter: rammene der binder ikke; "
              "negativ rest der er en overskridelse."},
    "budget.binding_note": {
        "en": "Binding: the spending, shown to 0.1 MNOK, equals the cap; left is the cap "
              "less the spending as shown.",
        "nb": "Bindende: det som er brukt, vist med 0,1 MNOK nøyaktighet, er lik rammen; "
              "ubrukt er rammen minus det som er brukt, slik de er vist."},
    "budget.marginal_note": {
        "en": "Marginal value: change of the objective per extra MNOK under a binding cap, "
              "with whole-unit purchases held as in the plan.",
        "nb": "Marginalverdi: endring i målfunksjonen per ekstra MNOK i en bindende ramme, "
              "med innkjøp av hele enheter holdt som i planen."},
    "share.eurohpc": {"en": "EuroHPC share", "nb": "EuroHPC-andel"},
    "share.national": {"en": "National share", "nb": "Nasjonal andel"},
    "of.investment": {"en": "investment", "nb": "investering"},
    "of.national_investment": {"en": "national investment", "nb": "Investering Sigma2"},
    "of.spending": {"en": "spending", "nb": "utgifter"},
    "of.capacity served": {"en": "capacity served", "nb": "brukt kapasitet"},
    "kind.national": {"en": "national", "nb": "nasjonal"},
    "kind.eurohpc": {"en": "EuroHPC", "nb": "EuroHPC"},
    "kind.cloud": {"en": "cloud", "nb": "sky"},
    "placement.national": {"en": "national only", "nb": "kun nasjonalt"},
    "placement.allied": {"en": "allied countries", "nb": "allierte land"},
    "placement.any": {"en": "anywhere", "nb": "hvor som helst"},
    "unit.resource": {"en": "resource unit", "nb": "ressursens enhet"},
    "unit.share_parts": {"en": "MNOK or resource unit", "nb": "MNOK eller ressursens enhet"},
    "yes": {"en": "yes", "nb": "ja"},
    "no": {"en": "no", "nb": "nei"},
    "none": {"en": "none", "nb": "ingen"},
    "every_year": {"en": "every year", "nb": "hvert år"},
    # --- charts -----------------------------------------------------------------------
    "chart.capacity": {"en": "{resource}: capacity in service against demand",
                       "nb": "{resource}: kapasitet i drift mot behov"},
    "chart.capacity_caption": {
        "en": "Bars: capacity in service per pool, stacked. Line: demand of all workloads "
              "that need {resource}. Dashed: capacity served.",
        "nb": "Søyler: kapasitet i drift per anlegg, stablet. Linje: behovet til alle "
              "arbeidslaster som trenger {resource}. Stiplet: brukt kapasitet."},
    "chart.demand": {"en": "Demand", "nb": "Behov"},
    "chart.served": {"en": "Served", "nb": "Dekket"},
    "chart.spending": {"en": "Spending per line and year (MNOK)",
                       "nb": "Utgifter per post og år (mill. kr)"},
    "chart.spending_caption": {
        "en": "Bars side by side: the lines of the financing plan in each year. Black "
              "markers: the yearly cap of each line where the instance sets one.",
        "nb": "Søyler side om side: postene i finansieringsplanen hvert år. Svarte markører: "
              "årlig ramme for hver post der instansen har en."},
    "chart.cap": {"en": "yearly cap of the line", "nb": "årlig ramme for posten"},
    "chart.shares": {"en": "Shares against their bounds", "nb": "Andeler mot kravene"},
    "chart.shares_caption": {
        "en": "Left: the EuroHPC share of {of} {years}, with its allowed range shaded. "
              "Right: the national share of capacity served per resource and year; dashed: "
              "the minimum.",
        "nb": "Venstre: EuroHPC-andelen av {of} {years}, med tillatt område skravert. "
              "Høyre: nasjonal andel av brukt kapasitet per ressurs og år; stiplet: "
              "minstekravet."},
    "chart.allowed_range": {"en": "allowed range", "nb": "tillatt område"},
    "chart.minimum": {"en": "minimum", "nb": "minstekrav"},
    "chart.unserved": {"en": "Unserved demand per workload (% of demand)",
                       "nb": "Ikke dekket behov per arbeidslast (% av behovet)"},
    "chart.unserved_caption": {
        "en": "Share of each workload's demand left unserved per year; see the coverage "
              "table for the amounts.",
        "nb": "Andel av hver arbeidslasts behov som ikke dekkes per år; se tabellen for "
              "dekning for mengdene."},
    "chart.year": {"en": "Year", "nb": "År"},
    "chart.percent": {"en": "Percent", "nb": "Prosent"},
    # --- assumptions ------------------------------------------------------------------
    "assume.general": {"en": "Horizon and discounting", "nb": "Periode og diskontering"},
    "assume.planning_years": {"en": "Planning years", "nb": "Planperiode"},
    "assume.plan_from": {"en": "Plan may change from", "nb": "Planen kan endres fra"},
    "assume.discount_rate": {"en": "Discount rate (per year)",
                             "nb": "Diskonteringsrente (per år)"},
    "assume.end_of_horizon": {"en": "End of horizon", "nb": "Slutten av perioden"},
    "assume.salvage": {"en": "salvage credit for life left", "nb": "restverdi av levetid"},
    "assume.no_salvage": {"en": "no credit", "nb": "ingen restverdi"},
    "assume.resources": {"en": "Resources", "nb": "Ressurser"},
    "assume.tiers": {"en": "Security tiers", "nb": "Graderingsnivåer"},
    "assume.surcharge": {"en": "Surcharge", "nb": "Påslag"},
    "assume.locations": {"en": "Locations", "nb": "Lokasjoner"},
    "assume.location": {"en": "Location", "nb": "Lokasjon"},
    "assume.national": {"en": "National", "nb": "Nasjonal"},
    "assume.allied": {"en": "Allied", "nb": "Alliert"},
    "assume.pools": {"en": "Pools", "nb": "Anlegg"},
    "assume.max_tier": {"en": "Highest tier", "nb": "Høyeste graderingsnivå"},
    "assume.fixed_opex": {"en": "Fixed operations (MNOK per year)",
                          "nb": "Fast drift (MNOK per år)"},
    "assume.limit": {"en": "Limit", "nb": "Grense"},
    "assume.price": {"en": "Cloud price (MNOK per unit-year)",
                     "nb": "Skypris (MNOK per enhet og år)"},
    "assume.products": {"en": "Products", "nb": "Produkter"},
    "assume.capacity_per_unit": {"en": "Capacity per unit", "nb": "Kapasitet per enhet"},
    "assume.capex": {"en": "Price in {first} (MNOK per unit)",
                     "nb": "Pris i {first} (MNOK per enhet)"},
    "assume.capex_trend": {"en": "Price trend (per year)", "nb": "Prisutvikling (per år)"},
    "assume.opex": {"en": "Operations (MNOK per unit-year)",
                    "nb": "Drift (MNOK per enhet og år)"},
    "assume.lifetime": {"en": "Lifetime (years)", "nb": "Levetid (år)"},
    "assume.lead_time": {"en": "Lead time (years)", "nb": "Leveringstid (år)"},
    "assume.whole_units": {"en": "Whole units", "nb": "Hele enheter"},
    "assume.batch": {"en": "Batch", "nb": "Parti"},
    "assume.batch_text": {
        "en": "fixed {fixed_capex} MNOK, {fixed_opex} MNOK per year, {min_units}–{max_units} units",
        "nb": "fast {fixed_capex} MNOK, {fixed_opex} MNOK per år, {min_units}–{max_units} enheter"},
    "assume.existing": {"en": "Existing systems", "nb": "Eksisterende systemer"},
    "assume.last_year": {"en": "Last year in service", "nb": "Siste år i drift"},
    "assume.opex_existing": {"en": "Operations (MNOK per year)", "nb": "Drift (MNOK per år)"},
    "assume.workloads": {"en": "Workloads", "nb": "Arbeidslaster"},
    "assume.demand_first": {"en": "Demand in {first}", "nb": "Behov i {first}"},
    "assume.growth": {"en": "Growth (per year)", "nb": "Vekst (per år)"},
    "assume.demand_by_year": {"en": "given per year", "nb": "oppgitt per år"},
    "assume.placement": {"en": "Placement", "nb": "Plassering"},
    "assume.penalty": {"en": "Penalty (MNOK per unit-year unserved)",
                       "nb": "Straffekostnad (MNOK per enhet og år ikke dekket)"},
    "assume.baseline_opex": {"en": "Baseline operations (MNOK per year)",
                             "nb": "Grunnleggende drift (MNOK per år)"},
    "assume.budget": {"en": "Budget caps (MNOK)", "nb": "Budsjettrammer (MNOK)"},
    "assume.policy": {"en": "Policy", "nb": "Politiske føringer"},
    "assume.eurohpc_rule": {
        "en": "EuroHPC investment between {min} and {max} of {of}, {years}",
        "nb": "Investering gjennom EuroHPC mellom {min} og {max} av {of}, {years}"},
    "assume.national_rule": {
        "en": "At least {min} of capacity served at national locations, for {resources}",
        "nb": "Minst {min} av brukt kapasitet ved nasjonale lokasjoner, for {resources}"},
    "assume.all_resources": {"en": "every resource", "nb": "alle ressurser"},
    "assume.committed": {"en": "Commitments", "nb": "Forpliktelser"},
    "assume.forecast_price": {"en": "forecast price", "nb": "prognosepris"},
    "assume.rule": {"en": "Rule", "nb": "Regel"},
    # --- metadata ---------------------------------------------------------------------
    "meta.instance_name": {"en": "Instance", "nb": "Instans"},
    "meta.instance_file": {"en": "Instance file", "nb": "Instansfil"},
    "meta.instance_sha256": {"en": "SHA-256 of the instance", "nb": "SHA-256 for instansen"},
    "meta.status": {"en": "Status", "nb": "Status"},
    "meta.proven_optimal": {"en": "Proven optimal", "nb": "Bevist optimal"},
    "meta.termination": {"en": "Solver's termination reason", "nb": "Løserens stoppårsak"},
    "meta.objective_mnok": {"en": "Objective (MNOK)", "nb": "Målfunksjon (MNOK)"},
    "meta.bound_mnok": {"en": "Best bound (MNOK)", "nb": "Beste grense (MNOK)"},
    "meta.gap": {"en": "Relative gap", "nb": "Relativt gap"},
    "meta.mip_gap_requested": {"en": "Gap asked for", "nb": "Ønsket gap"},
    "meta.time_limit_seconds": {"en": "Time limit (s)", "nb": "Tidsgrense (s)"},
    "meta.threads": {"en": "Threads", "nb": "Tråder"},
    "meta.random_seed": {"en": "Random seed", "nb": "Tilfeldig frø"},
    "meta.build_seconds": {"en": "Model build (s)", "nb": "Bygging av modellen (s)"},
    "meta.solve_seconds": {"en": "Solve (s)", "nb": "Løsing (s)"},
    "meta.timestamp": {"en": "Computed at (UTC)", "nb": "Beregnet (UTC)"},
    "meta.solver": {"en": "Solver", "nb": "Løser"},
    "meta.tool": {"en": "Tool", "nb": "Verktøy"},
    "meta.priority": {"en": "Priority", "nb": "Prioritet"},
    "meta.overrides": {"en": "Changes to the instance (--set)",
                       "nb": "Endringer i instansen (--set)"},
    "meta.format_version": {"en": "Instance format", "nb": "Instansformat"},
    "meta.plan_schema_version": {"en": "plan.json version", "nb": "plan.json-versjon"},
    "meta.least_weighted_unserved_mnok": {
        "en": "Least weighted unserved demand (MNOK)",
        "nb": "Minste vektede ikke dekkede behov (MNOK)"},
    "meta.warnings": {"en": "Warnings", "nb": "Advarsler"},
    "priority.cost": {"en": "cost (cheapest plan)", "nb": "kostnad (billigste plan)"},
    "priority.coverage": {"en": "coverage (serve first, then cheapest)",
                          "nb": "dekning (dekk først, deretter billigst)"},
    "status.optimal": {"en": "optimal", "nb": "optimal"},
    "status.stopped_with_plan": {"en": "stopped at a limit with a plan",
                                 "nb": "stoppet ved en grense med en plan"},
    "status.stopped_without_plan": {"en": "stopped at a limit without a plan",
                                    "nb": "stoppet ved en grense uten plan"},
    "status.infeasible": {"en": "infeasible", "nb": "ingen gyldig plan"},
    "status.unbounded": {"en": "unbounded", "nb": "ubegrenset"},
    "status.error": {"en": "solver error", "nb": "feil i løseren"},
    "report.revised_title": {"en": "Revised investment plan", "nb": "Revidert investeringsplan"},
    "report.revision": {"en": "Revised plan: the years before {year} are history (fixed)",
                        "nb": "Revidert plan: årene før {year} er historikk (låst)"},
    # Solver terminations in words (plan.json keeps the solver's own name).
    "termination.convergenceCriteriaSatisfied": {
        "en": "solved to the requested gap", "nb": "løst til ønsket gap"},
    "termination.maxTimeLimit": {"en": "stopped at the time limit",
                                 "nb": "stoppet ved tidsgrensen"},
    "termination.iterationLimit": {"en": "stopped at the iteration limit",
                                   "nb": "stoppet ved grensen for iterasjoner"},
    "termination.objectiveLimit": {"en": "stopped at the objective limit",
                                   "nb": "stoppet ved grensen for målfunksjonen"},
    "termination.minStepLength": {"en": "stopped: no further progress",
                                  "nb": "stoppet: ingen videre fremgang"},
    "termination.unbounded": {"en": "unbounded: the cost can fall without end",
                              "nb": "ubegrenset: kostnaden kan synke uten grense"},
    "termination.provenInfeasible": {"en": "proven infeasible: no plan meets every rule",
                                     "nb": "bevist uløselig: ingen plan oppfyller alle krav"},
    "termination.locallyInfeasible": {"en": "infeasible", "nb": "uløselig"},
    "termination.infeasibleOrUnbounded": {"en": "infeasible or unbounded",
                                          "nb": "uløselig eller ubegrenset"},
    "termination.error": {"en": "the solver failed", "nb": "løseren feilet"},
    "termination.interrupted": {"en": "interrupted", "nb": "avbrutt"},
    "termination.licensingProblems": {"en": "solver licence problem",
                                      "nb": "problem med løserens lisens"},
    "termination.emptyModel": {"en": "the model is empty", "nb": "modellen er tom"},
    "termination.unknown": {"en": "stopped for an unknown reason",
                            "nb": "stoppet av ukjent grunn"},
    # --- scenarios and redundancy ----------------------------------------------------
    "section.scenarios": {"en": "Scenarios", "nb": "Scenarioer"},
    "scenario.title": {"en": "Scenario {name} (probability {probability})",
                       "nb": "Scenario {name} (sannsynlighet {probability})"},
    "scenario.intro": {
        "en": "The plan is one decision for {years} that serves every scenario, and a "
              "purchase plan per scenario for the years after. Key figures above are "
              "expected values over the scenarios.",
        "nb": "Planen er én beslutning for {years} som gjelder i alle scenarioer, og en "
              "innkjøpsplan per scenario for årene etter. Nøkkeltallene over er "
              "forventningsverdier over scenarioene."},
    "scenario.decided_now": {"en": "Decided now: purchases shared by every scenario",
                             "nb": "Besluttes nå: innkjøp som er felles for alle scenarioer"},
    "scenario.overview": {"en": "The scenarios", "nb": "Scenarioene"},
    "scenario.value_of_information": {"en": "What planning for the scenarios is worth",
                                      "nb": "Hva det er verdt å planlegge for scenarioene"},
    "col.figure": {"en": "Figure", "nb": "Tall"},
    "col.scenario": {"en": "Scenario", "nb": "Scenario"},
    "col.probability": {"en": "Probability", "nb": "Sannsynlighet"},
    "col.objective_mnok": {"en": "Objective (MNOK)", "nb": "Målfunksjon (MNOK)"},
    "col.spending_mnok": {"en": "Spending (MNOK)", "nb": "Utgifter (MNOK)"},
    "assume.scenarios": {"en": "Scenarios", "nb": "Scenarioer"},
    "assume.demand_scale": {"en": "Demand scaled by", "nb": "Behov skalert med"},
    "assume.demand_growth": {"en": "Demand growth (per year)", "nb": "Behovsvekst (per år)"},
    "assume.price_scale": {"en": "Prices scaled by", "nb": "Priser skalert med"},
    "assume.decide_now": {"en": "Decided before the scenarios are known",
                          "nb": "Besluttes før scenarioet er kjent"},
    "assume.redundant": {"en": "Redundant (N−1)", "nb": "Redundant (N−1)"},
    "section.redundancy": {"en": "Redundancy (N−1)", "nb": "Redundans (N−1)"},
    "redundancy.title": {
        "en": "Redundant workloads: served, and kept in reserve should one pool be lost",
        "nb": "Redundante arbeidslaster: dekket, og holdt i reserve om ett anlegg faller ut"},
    "col.reserved": {"en": "Reserved", "nb": "Reservert"},
    "col.backup_if_lost": {"en": "Backup if this pool is lost",
                           "nb": "Reserve om dette anlegget faller ut"},
    "col.covered_if_lost": {"en": "Covered if lost", "nb": "Dekket ved bortfall"},
    "cost.redundancy_cost_mnok": {"en": "of which the cost of redundancy (N−1)",
                                  "nb": "herav kostnaden ved redundans (N−1)"},
    "cost.wait_and_see_mnok": {
        "en": "Expected cost were the scenario known in advance (wait-and-see, WS)",
        "nb": "Forventet kostnad om scenarioet var kjent på forhånd (WS)"},
    "cost.evpi_mnok": {
        "en": "Expected value of perfect information (EVPI = objective − WS)",
        "nb": "Forventet verdi av perfekt informasjon (EVPI = målfunksjon − WS)"},
    "cost.eev_mnok": {
        "en": "Expected cost when deciding now from the average forecast (EEV)",
        "nb": "Forventet kostnad om det besluttes nå ut fra gjennomsnittsprognosen (EEV)"},
    "cost.vss_mnok": {
        "en": "Value of the stochastic solution (VSS = EEV − objective)",
        "nb": "Verdien av den stokastiske løsningen (VSS = EEV − målfunksjon)"},
    # --- Excel sheet names (at most 31 characters) ------------------------------------
    "sheet.financing": {"en": "Financing", "nb": "Finansieringsplan"},
    "sheet.purchases": {"en": "Purchases", "nb": "Innkjøp"},
    "sheet.capacity": {"en": "Capacity", "nb": "Kapasitet"},
    "sheet.coverage": {"en": "Coverage", "nb": "Dekning"},
    "sheet.shares": {"en": "Shares", "nb": "Andeler"},
    "sheet.budget": {"en": "Budget caps", "nb": "Budsjettrammer"},
    "sheet.unspent": {"en": "Unspent money", "nb": "Ubrukte midler"},
    "sheet.assumptions": {"en": "Assumptions", "nb": "Forutsetninger"},
    "sheet.metadata": {"en": "Metadata", "nb": "Metadata"},
    "sheet.scenarios": {"en": "Scenarios", "nb": "Scenarioer"},
    "sheet.redundancy": {"en": "Redundancy", "nb": "Redundans"},
    # --- sweeps and diffs -------------------------------------------------------------
    "sweep.title": {"en": "Sweep", "nb": "Parameterstudie"},
    "sweep.subtitle": {"en": "{count} plans of {name}, varying {varied}",
                       "nb": "{count} planer for {name}, med varierende {varied}"},
    "sweep.points": {"en": "Points", "nb": "Punkter"},
    "sweep.point": {"en": "Point", "nb": "Punkt"},
    "sweep.no_plan": {"en": "no plan", "nb": "ingen plan"},
    "sweep.objective": {"en": "Objective (MNOK)", "nb": "Målfunksjon (MNOK)"},
    "sweep.spending": {"en": "Spending (MNOK)", "nb": "Utgifter (MNOK)"},
    "sweep.unserved_of": {"en": "Unserved: {workload}", "nb": "Ikke dekket: {workload}"},
    "sweep.chart_cost": {"en": "Objective and spending (MNOK)",
                         "nb": "Målfunksjon og utgifter (mill. kr)"},
    "sweep.chart_unserved": {"en": "Unserved demand over the horizon",
                             "nb": "Ikke dekket behov over perioden"},
    "sweep.caption": {
        "en": "Each point is a separate optimal plan; points without a plan are marked × on "
              "the axis.",
        "nb": "Hvert punkt er en egen optimal plan; punkter uten plan er merket × på aksen."},
    "sweep.summary": {
        "en": "{solved} of {count} points have a plan. Spending ranges from {low} to {high} "
              "MNOK.",
        "nb": "{solved} av {count} punkter har en plan. Utgiftene varierer fra {low} til "
              "{high} MNOK."},
    "sweep.unserved_units": {"en": "summed over the years", "nb": "summert over årene"},
    "sweep.table": {"en": "Every point", "nb": "Alle punkter"},
    # --- near-optimal alternatives (planner alternatives) ------------------------------
    "alternatives.title": {"en": "Near-optimal alternatives", "nb": "Nesten optimale alternativer"},
    "alternatives.subtitle": {
        "en": "{name}: what else costs at most {slack} more than the optimum",
        "nb": "{name}: hva annet koster høyst {slack} mer enn optimum"},
    "alternatives.summary": {
        "en": "The optimum costs {optimum} MNOK (the objective: discounted cost with "
              "penalties for unserved demand, less salvage). Every plan below costs at most "
              "{bound} MNOK, {slack} more. Each range is the least and the greatest value of "
              "one quantity among those plans; each end is a plan of its own.",
        "nb": "Optimum koster {optimum} MNOK (målfunksjonen: neddiskontert kostnad med "
              "straff for ikke dekket behov, fratrukket restverdi). Hver plan nedenfor koster "
              "høyst {bound} MNOK, {slack} mer. Hvert spenn er minste og største verdi av én "
              "størrelse blant disse planene; hver ende er en egen plan."},
    "alternatives.range": {
        "en": "{label}: {low}–{high} {unit} within {slack} of the optimum's cost; {optimum} "
              "in the optimum",
        "nb": "{label}: {low}–{high} {unit} innenfor {slack} av optimums kostnad; {optimum} "
              "i optimum"},
    "alternatives.at_least": {"en": "at least {value}", "nb": "minst {value}"},
    "alternatives.at_most": {"en": "at most {value}", "nb": "høyst {value}"},
    "alternatives.bound_note": {
        "en": "“at least” and “at most” mark an end whose solve was stopped by the time "
              "limit: the end is a bound, not proven.",
        "nb": "«minst» og «høyst» markerer en ende der løseren ble stoppet av tidsgrensen: "
              "enden er en grense, ikke bevist."},
    "alternatives.ranges": {"en": "Ranges", "nb": "Spenn"},
    "alternatives.chart": {"en": "Each quantity's range within the cost bound",
                           "nb": "Spennet for hver størrelse innenfor kostnadsgrensen"},
    "alternatives.chart_caption": {
        "en": "Each bar runs from the least to the greatest value, on its own scale; the "
              "diamond marks the optimum. A hatched bar has an end stopped by the time limit.",
        "nb": "Hver stolpe går fra minste til største verdi, på sin egen skala; ruten "
              "markerer optimum. En skravert stolpe har en ende stoppet av tidsgrensen."},
    "alternatives.quantity": {"en": "Quantity", "nb": "Størrelse"},
    "alternatives.unit": {"en": "Unit", "nb": "Enhet"},
    "alternatives.min": {"en": "Least", "nb": "Minst"},
    "alternatives.max": {"en": "Greatest", "nb": "Størst"},
    "alternatives.optimum": {"en": "In the optimum", "nb": "I optimum"},
    "alternatives.objective_at_min": {"en": "Objective at least (MNOK)",
                                      "nb": "Målfunksjon ved minst (MNOK)"},
    "alternatives.objective_at_max": {"en": "Objective at greatest (MNOK)",
                                      "nb": "Målfunksjon ved størst (MNOK)"},
    "alternatives.spending_at_min": {"en": "Spending at least (MNOK)",
                                     "nb": "Utgifter ved minst (MNOK)"},
    "alternatives.spending_at_max": {"en": "Spending at greatest (MNOK)",
                                     "nb": "Utgifter ved størst (MNOK)"},
    "alternatives.different": {"en": "Plans different in kind", "nb": "Planer av annen type"},
    "alternatives.different_note": {
        "en": "Each plan minimises the use of what the plans before it bought or rented "
              "(hop-skip-jump), within the same cost bound. {found} of {asked} asked for were "
              "found different from the plans before them.",
        "nb": "Hver plan minimerer bruken av det planene før den kjøpte eller leide "
              "(hop-skip-jump), innenfor samme kostnadsgrense. {found} av {asked} "
              "etterspurte ble funnet forskjellige fra planene før dem."},
    "alternatives.plan": {"en": "Plan", "nb": "Plan"},
    "alternatives.objective": {"en": "Objective (MNOK)", "nb": "Målfunksjon (MNOK)"},
    "alternatives.spending": {"en": "Spending (MNOK)", "nb": "Utgifter (MNOK)"},
    "quantity.cloud_spending": {"en": "Cloud spending", "nb": "Utgifter til sky"},
    "quantity.units": {"en": "Units of {product} bought", "nb": "Enheter av {product} kjøpt"},
    "quantity.capacity": {"en": "Capacity of {resource} at {where} in {year}",
                          "nb": "Kapasitet for {resource} i {where} i {year}"},
    "quantity.where.national": {"en": "national pools", "nb": "nasjonale ressurser"},
    "quantity.where.eurohpc": {"en": "EuroHPC pools", "nb": "EuroHPC-ressurser"},
    "quantity.where.cloud": {"en": "cloud pools", "nb": "skyressurser"},
    "quantity.unserved": {"en": "Unserved demand of {workload}",
                          "nb": "Ikke dekket behov for {workload}"},
    "quantity.unit.units": {"en": "units", "nb": "enheter"},
    "diff.title": {"en": "Comparison of two plans", "nb": "Sammenligning av to planer"},
    "diff.before": {"en": "Before", "nb": "Før"},
    "diff.after": {"en": "After", "nb": "Etter"},
    "diff.change": {"en": "Change", "nb": "Endring"},
    "diff.no_changes": {"en": "No differences.", "nb": "Ingen forskjeller."},
    "diff.inputs": {"en": "Inputs that changed", "nb": "Endrede forutsetninger"},
    "diff.kind": {"en": "Kind", "nb": "Type"},
    "diff.changes": {"en": "What the plan changed", "nb": "Endringer i planen"},
    "diff.category.commitments": {"en": "commitments and history",
                                  "nb": "forpliktelser og historikk"},
    "diff.category.demand": {"en": "demand", "nb": "behov"},
    "diff.category.prices": {"en": "prices and running costs", "nb": "priser og driftskostnader"},
    "diff.category.budget": {"en": "budget caps", "nb": "budsjettrammer"},
    "diff.category.policy": {"en": "policy", "nb": "politiske føringer"},
    "diff.category.horizon": {"en": "horizon", "nb": "periode"},
    "diff.category.capacity": {"en": "capacity, products and sites",
                               "nb": "kapasitet, produkter og anlegg"},
    "diff.category.other": {"en": "other", "nb": "annet"},
    "diff.at": {"en": "at", "nb": "til"},
    "diff.units": {"en": "units", "nb": "enheter"},
    "diff.note.two_stage": {
        "en": "{label} is a two-stage plan: its purchases, capacity, coverage and financing "
              "are compared as probability-weighted expectations over its scenarios",
        "nb": "{label} er en totrinnsplan: innkjøp, kapasitet, dekning og finansiering "
              "sammenlignes som sannsynlighetsvektede forventninger over scenarioene"},
    "diff.note.no_plan": {
        "en": "{label} has no plan (status {status}): only its inputs are compared",
        "nb": "{label} har ingen plan (status {status}): bare forutsetningene sammenlignes"},
    "diff.note.history": {
        "en": "{years} history in {label}: purchases there are committed, not planned",
        "nb": "{years} er historikk i {label}: innkjøp der er forpliktet, ikke planlagt"},
    "diff.chart": {"en": "Spending per line, before and after (MNOK); every cell, "
                         "changed or not",
                   "nb": "Utgifter per post, før og etter (mill. kr); alle celler, "
                         "endret eller ikke"},
    # --- planner audit (planner.views.audit) ---
    "audit.title": {"en": "Audit of a financing plan", "nb": "Kontroll av en finansieringsplan"},
    "audit.subtitle": {"en": "{file} against the optimal plans of {name}",
                       "nb": "{file} mot de optimale planene for {name}"},
    "audit.lines.title": {"en": "The financing plan as given (MNOK)",
                          "nb": "Finansieringsplanen slik den er gitt (MNOK)"},
    "audit.sums.title": {"en": "(a) Printed sums against the lines (MNOK)",
                         "nb": "(a) Trykte summer mot linjene (MNOK)"},
    "audit.sums.none": {"en": "The file gives no printed sums (row sum_printed).",
                        "nb": "Filen gir ingen trykte summer (rad sum_printed)."},
    "audit.sums.ok": {"en": "Every printed sum equals the sum of its lines.",
                      "nb": "Hver trykte sum er lik summen av linjene."},
    "audit.sums.off": {"en": "{year}: printed {printed}, the lines add to {recomputed}: "
                             "{difference} MNOK {direction}.",
                       "nb": "{year}: trykt {printed}, linjene gir {recomputed}: "
                             "{difference} MNOK {direction}."},
    "audit.sums.high": {"en": "too high", "nb": "for høyt"},
    "audit.sums.low": {"en": "too low", "nb": "for lavt"},
    "audit.sums.totals": {"en": "Over all years: printed {printed}, the lines add to {recomputed}.",
                          "nb": "Over alle år: trykt {printed}, linjene gir {recomputed}."},
    "audit.shares.title": {"en": "(b) The EuroHPC share under each reading of the report",
                           "nb": "(b) EuroHPC-andelen etter hver lesning av rapporten"},
    "audit.statement.of_investment": {"en": "10–20 % of Norway's investment",
                                      "nb": "10–20 % av Norges investeringer"},
    "audit.statement.of_national_investment": {
              "en": "10–20 % of the national (Sigma2) investment",
              "nb": "10–20 % av den nasjonale (Sigma2-) investeringen"},
    "audit.statement.of_total_cost": {"en": "at least 20 % of the total costs",
                                      "nb": "minst 20 % av totalkostnadene"},
    "audit.base.investment": {"en": "all investment (national + EuroHPC)",
                              "nb": "all investering (nasjonal + EuroHPC)"},
    "audit.base.national_investment": {"en": "national investment", "nb": "nasjonal investering"},
    "audit.base.spending": {"en": "total cost (investment + operations)",
                            "nb": "totalkostnad (investering + drift)"},
    "audit.timing.ok": {"en": "The EuroHPC money lies in 2026–2027, as the report says "
                              "[{section}].",
                        "nb": "EuroHPC-midlene ligger i 2026–2027, slik rapporten sier "
                              "[{section}]."},
    "audit.timing.off": {"en": "EuroHPC money outside 2026–2027, where the report puts it "
                               "[{section}]: {years}.",
                         "nb": "EuroHPC-midler utenfor 2026–2027, der rapporten legger dem "
                               "[{section}]: {years}."},
    "audit.plans.title": {"en": "(c) and (d) The plans side by side",
                          "nb": "(c) og (d) Planene side om side"},
    "audit.plans.intro": {
              "en": "(c) the lines as yearly caps: what this money serves, year by year. "
                    "(d) only each line's total over the years as a cap: the money may move "
                    "between years within a line. {instance}Priority: {priority}.",
              "nb": "(c) linjene som årlige rammer: hva disse pengene dekker, år for år. "
                    "(d) bare hver linjes sum over årene som ramme: pengene kan flyttes mellom "
                    "år innen en linje. {instance}Prioritet: {priority}."},
    "audit.plans.instance": {"en": "The instance's own caps differ from the lines, so its own "
                                   "optimum is shown too. ",
                             "nb": "Instansens egne rammer er ulike linjene, så dens eget "
                                   "optimum vises også. "},
    "audit.plans.same": {"en": "The instance's own caps are these lines. ",
                         "nb": "Instansens egne rammer er disse linjene. "},
    "audit.plan.yearly_lines": {"en": "(c) yearly lines", "nb": "(c) årlige linjer"},
    "audit.plan.line_totals": {"en": "(d) line totals", "nb": "(d) linjesummer"},
    "audit.plan.instance": {"en": "instance's caps", "nb": "instansens rammer"},
    "audit.spending.title": {"en": "Spending per line and year (MNOK)",
                             "nb": "Utgifter per linje og år (MNOK)"},
    "audit.demand.title": {"en": "Demand served and unserved per workload and year",
                           "nb": "Dekket og udekket behov per arbeidslast og år"},
    "audit.cost.title": {"en": "Cost and shares", "nb": "Kostnad og andeler"},
    "audit.col.line": {"en": "Line", "nb": "Linje"},
    "audit.col.year": {"en": "Year", "nb": "År"},
    "audit.col.total": {"en": "Total", "nb": "Sum"},
    "audit.col.plan_line": {"en": "Financing plan", "nb": "Finansieringsplan"},
    "audit.col.printed": {"en": "Printed sum", "nb": "Trykt sum"},
    "audit.col.recomputed": {"en": "Sum of the lines", "nb": "Sum av linjene"},
    "audit.col.difference": {"en": "Printed − lines", "nb": "Trykt − linjer"},
    "audit.col.statement": {"en": "Statement", "nb": "Utsagn"},
    "audit.col.section": {"en": "Report section", "nb": "Kapittel i rapporten"},
    "audit.col.base": {"en": "Base", "nb": "Grunnlag"},
    "audit.col.base_mnok": {"en": "Base (MNOK)", "nb": "Grunnlag (MNOK)"},
    "audit.col.eurohpc_mnok": {"en": "EuroHPC (MNOK)", "nb": "EuroHPC (MNOK)"},
    "audit.col.share": {"en": "Share", "nb": "Andel"},
    "audit.col.met": {"en": "Met", "nb": "Oppfylt"},
    "audit.col.workload": {"en": "Workload", "nb": "Arbeidslast"},
    "audit.col.demand": {"en": "Demand", "nb": "Behov"},
    "audit.col.served": {"en": "served {plan}", "nb": "dekket {plan}"},
    "audit.col.unserved": {"en": "unserved {plan}", "nb": "udekket {plan}"},
    "audit.col.measure": {"en": "", "nb": ""},
    "audit.row.sum": {"en": "Sum", "nb": "Sum"},
    "audit.row.status": {"en": "Status", "nb": "Status"},
    "audit.row.objective_mnok": {"en": "Objective (MNOK)", "nb": "Målfunksjon (MNOK)"},
    "audit.row.spending_mnok": {"en": "Spending, nominal (MNOK)",
                                "nb": "Utgifter, nominelt (MNOK)"},
    "audit.row.unserved_penalty_mnok": {"en": "Penalty for unserved demand (MNOK)",
                                        "nb": "Straff for udekket behov (MNOK)"},
    "audit.row.salvage_mnok": {"en": "Salvage credit (MNOK)", "nb": "Restverdi (MNOK)"},
    "audit.row.share": {"en": "EuroHPC share: {statement}", "nb": "EuroHPC-andel: {statement}"},
    "audit.no_plan": {"en": "{plan}: no plan ({status}).", "nb": "{plan}: ingen plan ({status})."},
    "audit.line.national_investment": {"en": "National investment", "nb": "Investering Sigma2"},
    "audit.line.operations": {"en": "Operations", "nb": "Drift Sigma2"},
    "audit.line.eurohpc_investment": {"en": "Investment through EuroHPC",
                                      "nb": "Investering gjennom EuroHPC"},
    # --- planner serve: the what-if page (planner.serve) ---
    "serve.title": {"en": "What-if: {name}", "nb": "Hva om: {name}"},
    "serve.intro": {"en": "Move a number on the left; the optimal plan answers on the right.",
                    "nb": "Endre et tall til venstre; den optimale planen svarer til høyre."},
    "serve.language": {"en": "Language", "nb": "Språk"},
    "serve.solving": {"en": "Solving…", "nb": "Løser…"},
    "serve.ready": {"en": "Ready", "nb": "Klar"},
    "serve.reset": {"en": "Back to the instance", "nb": "Tilbake til instansen"},
    "serve.save": {"en": "Save this setting", "nb": "Lagre denne innstillingen"},
    "serve.saved": {"en": "Recorded as run {id}", "nb": "Lagret som kjøring {id}"},
    "serve.download_instance": {"en": "Instance (YAML)", "nb": "Instans (YAML)"},
    "serve.download_report": {"en": "Report (HTML)", "nb": "Rapport (HTML)"},
    "serve.objective": {"en": "Objective", "nb": "Målfunksjon"},
    "serve.status": {"en": "Status", "nb": "Status"},
    "serve.answered": {"en": "answered in {seconds} s ({route})",
                       "nb": "svar på {seconds} s ({route})"},
    "serve.route.re-solve": {"en": "model re-solved", "nb": "modellen løst på nytt"},
    "serve.route.rebuild": {"en": "model rebuilt", "nb": "modellen bygd på nytt"},
    "serve.changes": {"en": "What changed against the instance, largest first",
                      "nb": "Hva som endret seg mot instansen, størst først"},
    "serve.no_changes": {"en": "Nothing changed.", "nb": "Ingenting endret seg."},
    "serve.more": {"en": "Show all {count}", "nb": "Vis alle {count}"},
    "serve.fewer": {"en": "Show the first 10", "nb": "Vis de 10 første"},
    "serve.settings": {"en": "Your changes", "nb": "Dine endringer"},
    "serve.no_settings": {"en": "none: the instance as written",
                          "nb": "ingen: instansen slik den står"},
    "serve.infeasible": {"en": "No plan meets every rule with these numbers. Each of these "
                               "relaxations restores one:",
                         "nb": "Ingen plan oppfyller alle reglene med disse tallene. Hver av "
                               "disse lempingene gir en plan:"},
    "serve.no_relaxation": {"en": "No relaxation of caps, shares, coverage or pool limits "
                                  "restores a plan.",
                            "nb": "Ingen lemping av tak, andeler, dekning eller grenser gir "
                                  "en plan."},
    "serve.apply": {"en": "Apply", "nb": "Bruk"},
    "serve.error": {"en": "Not accepted", "nb": "Ikke godtatt"},
    "serve.report": {"en": "The plan", "nb": "Planen"},
    "serve.report_loading": {"en": "Drawing the report…", "nb": "Tegner rapporten…"},
    "serve.group.budget": {"en": "Budget lines (MNOK)", "nb": "Budsjettlinjer (mill. kr)"},
    "serve.group.policy": {"en": "Policy shares (%)", "nb": "Andeler (%)"},
    "serve.group.workloads": {"en": "Demand (%)", "nb": "Behov (%)"},
    "serve.group.products": {"en": "Price trends (% per year)", "nb": "Prisutvikling (% per år)"},
    "serve.budget.total": {"en": "Total, all years", "nb": "Totalt, alle år"},
    "serve.budget.yearly": {"en": "Yearly spending", "nb": "Årlige utgifter"},
    "serve.budget.investment": {"en": "Investment", "nb": "Investering"},
    "serve.budget.national_investment": {"en": "National investment",
                                         "nb": "Investering Sigma2 (nasjonal)"},
    "serve.budget.eurohpc_investment": {"en": "Investment through EuroHPC",
                                        "nb": "Investering gjennom EuroHPC"},
    "serve.budget.operations": {"en": "Operations", "nb": "Drift"},
    "serve.no_cap": {"en": "no cap", "nb": "intet tak"},
    "serve.eurohpc.min": {"en": "EuroHPC share, least", "nb": "EuroHPC-andel, minst"},
    "serve.eurohpc.max": {"en": "EuroHPC share, most", "nb": "EuroHPC-andel, høyst"},
    "serve.eurohpc.of": {"en": "EuroHPC share of", "nb": "EuroHPC-andel av"},
    "serve.of.investment": {"en": "all investment", "nb": "all investering"},
    "serve.of.national_investment": {"en": "national investment", "nb": "nasjonal investering"},
    "serve.of.spending": {"en": "all spending", "nb": "alle utgifter"},
    "serve.national.min": {"en": "National share, least", "nb": "Nasjonal andel, minst"},
    "serve.growth": {"en": "{name}: growth per year", "nb": "{name}: vekst per år"},
    "serve.coverage": {"en": "{name}: least coverage", "nb": "{name}: minste dekning"},
    "serve.trend": {"en": "{name}: price change per year", "nb": "{name}: prisendring per år"},
    "serve.relax.raise": {"en": "raise {what} from {current} to {value} {unit}",
                          "nb": "øk {what} fra {current} til {value} {unit}"},
    "serve.relax.lower": {"en": "lower {what} from {current} to {value} {unit}",
                          "nb": "senk {what} fra {current} til {value} {unit}"},
    "serve.relax.by": {"en": "raise {what} by {change} MNOK (to {value})",
                       "nb": "øk {what} med {change} mill. kr (til {value})"},
}


# Warnings the planner writes into plan.json in English (planner.results.diagnostics); a
# Norwegian report shows them translated. A warning no pattern matches is shown as written.
WARNING_PATTERNS: list[tuple[re.Pattern[str], dict[str, str]]] = [
    (re.compile(r"^(?P<units>\S+) units of '(?P<product>[^']+)' in (?P<year>\d+) reach the "
                r"planner's bound of (?P<bound>\S+) units; give the product a batch "
                r"max_units or a budget cap, or the plan may not be optimal$"),
     {"en": "{units} units of '{product}' in {year} reach the planner's bound of {bound} "
            "units; give the product a batch max_units or a budget cap, or the plan may not "
            "be optimal",
      "nb": "{units} enheter av «{product}» i {year} når planleggerens øvre grense på "
            "{bound} enheter; gi produktet et parti med max_units eller en budsjettramme, "
            "ellers er planen kanskje ikke optimal"}),
    (re.compile(r"^VSS is unbounded: with the expected-value plan's purchases decided now, "
                r"scenario\(s\) (?P<names>.+) have no feasible plan$"),
     {"en": "VSS is unbounded: with the expected-value plan's purchases decided now, "
            "scenario(s) {names} have no feasible plan",
      "nb": "VSS er ubegrenset: med innkjøpene som besluttes nå satt som i planen for "
            "gjennomsnittsprognosen, har scenario(ene) {names} ingen gjennomførbar plan"}),
]


@dataclass(frozen=True)
class Translator:
    """Texts, numbers and percentages in one language."""

    lang: str = "en"

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, got {self.lang!r}")

    def __call__(self, key: str, **values: object) -> str:
        text = TEXT[key][self.lang]
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in TEXT

    def term(self, prefix: str, value: str) -> str:
        """A value of the tool's own vocabulary (`kind.cloud`), else the value as written."""
        key = f"{prefix}.{value}"
        return self(key) if key in TEXT else value

    def warning(self, text: str) -> str:
        for pattern, templates in WARNING_PATTERNS:
            match = pattern.match(text)
            if match:
                return templates[self.lang].format(**match.groupdict())
        return text

    # --- numbers ---------------------------------------------------------------------
    def number(self, value: object, decimals: int = 1) -> str:
        """`1 337.3` in English (thin spaces between thousands), `1 337,3` in Norwegian."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        if not isinstance(value, int | float):
            try:
                value = float(value)  # numpy scalars
            except (TypeError, ValueError):
                return str(value)
        text = f"{value:,.{decimals}f}"
        if text.startswith("-") and float(text.replace(",", "")) == 0:
            text = text[1:]
        text = text.replace(",", "\u202f")
        if self.lang == "nb":
            text = text.replace(".", ",")
        return text.replace("-", "−")

    def units(self, value: object) -> str:
        """Units of a divisible product: up to three decimals, trailing zeros dropped
        (134.286 units, 12 units), so units × price reads as the investment shown."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        text = self.number(value, 3)
        if "," in text[-4:] or "." in text[-4:]:
            text = text.rstrip("0").rstrip(",.")
        return text

    def termination(self, name: object) -> str:
        """The solver's termination reason in words (`convergenceCriteriaSatisfied` →
        "solved to the requested gap"); an unknown name is shown as given."""
        return self.term("termination", str(name))

    def year_span(self, text: object) -> str:
        """A span of years as written in a table ("2025-2029") with an en dash."""
        return str(text).replace("-", "–")

    def mnok(self, value: object) -> str:
        return self.number(value, 1)

    def price(self, value: object) -> str:
        return self.number(value, 3)

    def amount(self, value: object) -> str:
        """Capacity: whole numbers from 100 up, three significant digits below."""
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        value = float(value)
        if abs(value) >= 100 or value == 0:
            return self.number(value, 0)
        digits = max(0, 2 - int(math.floor(math.log10(abs(value)))))
        text = self.number(round(value, digits), digits)
        if "," in text or "." in text:
            text = text.rstrip("0").rstrip(",.")
        return text

    def percent(self, value: object, decimals: int = 1) -> str:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return "–"
        return f"{self.number(100 * float(value), decimals)}\u00a0%"

    def flag(self, value: object) -> str:
        return self("yes") if value else self("no")

    def year_list(self, years: list[int]) -> str:
        """2025, 2026, 2027 and 2029 → "2025–2027, 2029"."""
        years = sorted(set(int(year) for year in years))
        runs: list[list[int]] = []
        for year in years:
            if runs and year == runs[-1][-1] + 1:
                runs[-1].append(year)
            else:
                runs.append([year])
        return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}"
                         for run in runs)

