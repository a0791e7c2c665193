"""The page's own words, in English and Norwegian (the plan's words come from the reports'
translation table)."""

from __future__ import annotations

LANGUAGES = ("en", "nb")

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "What-if: {name}", "nb": "Hva om: {name}"},
    "intro": {"en": "Move a number on the left; the optimal plan answers on the right.",
              "nb": "Endre et tall til venstre; den optimale planen svarer til høyre."},
    "language": {"en": "Language", "nb": "Språk"},
    "solving": {"en": "Solving…", "nb": "Løser…"},
    "ready": {"en": "Ready", "nb": "Klar"},
    "reset": {"en": "Back to the instance", "nb": "Tilbake til instansen"},
    "save": {"en": "Save this setting", "nb": "Lagre denne innstillingen"},
    "saved": {"en": "Recorded as run {id}", "nb": "Lagret som kjøring {id}"},
    "download_instance": {"en": "Instance (YAML)", "nb": "Instans (YAML)"},
    "download_report": {"en": "Report (HTML)", "nb": "Rapport (HTML)"},
    "objective": {"en": "Objective", "nb": "Målfunksjon"},
    "status": {"en": "Status", "nb": "Status"},
    "answered": {"en": "answered in {seconds} s ({route})",
                 "nb": "svar på {seconds} s ({route})"},
    "route.re-solve": {"en": "model re-solved", "nb": "modellen løst på nytt"},
    "route.rebuild": {"en": "model rebuilt", "nb": "modellen bygd på nytt"},
    "changes": {"en": "What changed against the instance, largest first",
                "nb": "Hva som endret seg mot instansen, størst først"},
    "no_changes": {"en": "Nothing changed.", "nb": "Ingenting endret seg."},
    "more": {"en": "Show all {count}", "nb": "Vis alle {count}"},
    "fewer": {"en": "Show the first 10", "nb": "Vis de 10 første"},
    "settings": {"en": "Your changes", "nb": "Dine endringer"},
    "no_settings": {"en": "none: the instance as written",
                    "nb": "ingen: instansen slik den står"},
    "infeasible": {"en": "No plan meets every rule with these numbers. Each of these "
                         "relaxations restores one:",
                   "nb": "Ingen plan oppfyller alle reglene med disse tallene. Hver av "
                         "disse lempingene gir en plan:"},
    "no_relaxation": {"en": "No relaxation of caps, shares, coverage or pool limits "
                            "restores a plan.",
                      "nb": "Ingen lemping av tak, andeler, dekning eller grenser gir en plan."},
    "apply": {"en": "Apply", "nb": "Bruk"},
    "error": {"en": "Not accepted", "nb": "Ikke godtatt"},
    "report": {"en": "The plan", "nb": "Planen"},
    "report_loading": {"en": "Drawing the report…", "nb": "Tegner rapporten…"},
    "group.budget": {"en": "Budget lines (MNOK)", "nb": "Budsjettlinjer (mill. kr)"},
    "group.policy": {"en": "Policy shares (%)", "nb": "Andeler (%)"},
    "group.workloads": {"en": "Demand (%)", "nb": "Behov (%)"},
    "group.products": {"en": "Price trends (% per year)", "nb": "Prisutvikling (% per år)"},
    "budget.total": {"en": "Total, all years", "nb": "Totalt, alle år"},
    "budget.yearly": {"en": "Yearly spending", "nb": "Årlige utgifter"},
    "budget.investment": {"en": "Investment", "nb": "Investering"},
    "budget.national_investment": {"en": "National investment",
                                   "nb": "Investering Sigma2 (nasjonal)"},
    "budget.eurohpc_investment": {"en": "Investment through EuroHPC",
                                  "nb": "Investering gjennom EuroHPC"},
    "budget.operations": {"en": "Operations", "nb": "Drift"},
    "no_cap": {"en": "no cap", "nb": "intet tak"},
    "eurohpc.min": {"en": "EuroHPC share, least", "nb": "EuroHPC-andel, minst"},
    "eurohpc.max": {"en": "EuroHPC share, most", "nb": "EuroHPC-andel, høyst"},
    "eurohpc.of": {"en": "EuroHPC share of", "nb": "EuroHPC-andel av"},
    "of.investment": {"en": "all investment", "nb": "all investering"},
    "of.national_investment": {"en": "national investment", "nb": "nasjonal investering"},
    "of.spending": {"en": "all spending", "nb": "alle utgifter"},
    "national.min": {"en": "National share, least", "nb": "Nasjonal andel, minst"},
    "growth": {"en": "{name}: growth per year", "nb": "{name}: vekst per år"},
    "coverage": {"en": "{name}: least coverage", "nb": "{name}: minste dekning"},
    "trend": {"en": "{name}: price change per year", "nb": "{name}: prisendring per år"},
    "relax.raise": {"en": "raise {what} from {current} to {value} {unit}",
                    "nb": "øk {what} fra {current} til {value} {unit}"},
    "relax.lower": {"en": "lower {what} from {current} to {value} {unit}",
                    "nb": "senk {what} fra {current} til {value} {unit}"},
    "relax.by": {"en": "raise {what} by {change} MNOK (to {value})",
                 "nb": "øk {what} med {change} mill. kr (til {value})"},
}


def text(key: str, lang: str, **values: object) -> str:
    entry = TEXT[key][lang]
    return entry.format(**values) if values else entry


def page_texts(lang: str) -> dict[str, str]:
    """Every text the page's script needs, in one language."""
    return {key: entry[lang] for key, entry in TEXT.items()}
