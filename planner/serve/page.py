"""The what-if page: controls on the left, the plan on the right, every text escaped.

The page is plain HTML with one local script (`static/serve.js`) and style sheet; nothing
comes from the network, so it works on machines without internet. The plan itself is the
HTML report (`planner.reports`), shown in a sandboxed frame that may run no script.
"""

from __future__ import annotations

import html
import json

from planner.serve.controls import Control, ControlGroup, control_groups
from planner.serve.labels import LANGUAGES, page_texts, text
from planner.serve.session import ServeSession


def _attribute(value: object) -> str:
    return html.escape(str(value), quote=True)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return repr(float(value)) if not float(value).is_integer() else str(int(value))


def _control(control: Control, lang: str) -> str:
    label = f'<span class="label">{html.escape(control.label)}</span>'
    base = "" if control.value is None else _number(control.value)
    if control.choices:
        options = "".join(
            f'<option value="{_attribute(value)}">{html.escape(name)}</option>'
            for value, name in control.choices)
        return (f'<label class="control">{label}<select data-key="{_attribute(control.key)}" '
                f'data-base="{_attribute(base)}">{options}</select></label>')
    shown = "" if control.value is None else _number(control.value * control.scale)
    placeholder = text("no_cap", lang) if control.key.startswith("budget.") else ""
    minimum = "" if control.minimum is None else f' min="{_number(control.minimum)}"'
    return (f'<label class="control">{label}<input type="number" step="any"{minimum} '
            f'data-key="{_attribute(control.key)}" data-scale="{_number(control.scale)}" '
            f'data-base="{_attribute(base)}" value="{_attribute(shown)}" '
            f'placeholder="{_attribute(placeholder)}"></label>')


def _group(group: ControlGroup, lang: str, open_: bool) -> str:
    controls = "".join(_control(control, lang) for control in group.controls)
    return (f'<details class="group"{" open" if open_ else ""}><summary>'
            f'{html.escape(group.title)}</summary>{controls}</details>')


def _json_island(value: object) -> str:
    # Inside <script type="application/json">, "</" would end the element early.
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def render_page(session: ServeSession, lang: str) -> str:
    """The whole page for one language."""
    instance = session.base_instance
    groups = control_groups(instance, lang)
    controls = "".join(_group(group, lang, index == 0) for index, group in enumerate(groups))
    share = instance.policy.eurohpc_share
    data = {
        "lang": lang,
        "texts": page_texts(lang),
        "share_base": None if share is None else share.of,
        "instance": instance.name,
    }
    languages = "".join(
        f'<option value="{code}"{" selected" if code == lang else ""}>{code}</option>'
        for code in LANGUAGES)
    title = html.escape(text("title", lang, name=instance.name))
    return f"""<!DOCTYPE html>
<html lang="{'nb' if lang == 'nb' else 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/serve.css">
<script type="application/json" id="page-data">{_json_island(data)}</script>
<script src="/static/serve.js" defer></script>
</head>
<body>
<header>
  <h1>{title}</h1>
  <p class="intro">{html.escape(text("intro", lang))}</p>
  <div class="toolbar">
    <label>{html.escape(text("language", lang))}
      <select id="lang">{languages}</select></label>
    <button type="button" id="reset">{html.escape(text("reset", lang))}</button>
    <button type="button" id="save">{html.escape(text("save", lang))}</button>
    <a id="download-instance" href="/api/download/instance">{html.escape(
        text("download_instance", lang))}</a>
    <a id="download-report" href="/api/download/report?lang={lang}">{html.escape(
        text("download_report", lang))}</a>
    <span id="saved" role="status"></span>
  </div>
</header>
<main>
  <form id="controls" autocomplete="off" onsubmit="return false">{controls}</form>
  <section id="answer">
    <div id="state" class="state" role="status" data-state="ready">{html.escape(
        text("ready", lang))}</div>
    <dl class="figures">
      <dt>{html.escape(text("objective", lang))}</dt>
      <dd><span id="objective" data-objective-mnok=""></span> MNOK</dd>
      <dt>{html.escape(text("status", lang))}</dt><dd id="status"></dd>
      <dt>{html.escape(text("settings", lang))}</dt><dd id="settings"></dd>
    </dl>
    <p id="timing" class="timing"></p>
    <div id="error" class="error" hidden></div>
    <div id="relaxations" hidden></div>
    <h2>{html.escape(text("changes", lang))}</h2>
    <ol id="changes"></ol>
    <button type="button" id="more-changes" hidden></button>
    <h2>{html.escape(text("report", lang))}</h2>
    <p id="report-state" class="timing"></p>
    <iframe id="report" title="{html.escape(text("report", lang))}" sandbox></iframe>
  </section>
</main>
</body>
</html>
"""
