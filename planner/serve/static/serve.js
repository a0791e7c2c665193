// planner serve: send the reader's changes to /api/solve and show the plan that answers.
// Plain JavaScript, no library, nothing from the network. Every text goes in as text
// (textContent), never as HTML; the report is shown in a sandboxed frame.
"use strict";

const page = JSON.parse(document.getElementById("page-data").textContent);
const T = page.texts;
let settings = readHash();
let latest = 0; // the number of the newest request; older answers are dropped
let controller = null;
let allChanges = false;
let lastChanges = [];
const SHOWN_CHANGES = 10;

function format(value, decimals = 1) {
  // As the reports write numbers: a narrow no-break space between thousands (a number
  // never breaks), a decimal point in English and a decimal comma in Norwegian.
  if (value === null || value === undefined || Number.isNaN(value)) return "–";
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, "\u202f");
  const sign = value < 0 && Number(fixed) !== 0 ? "\u2212" : "";
  const point = page.lang === "nb" ? "," : ".";
  return sign + grouped + (fraction ? point + fraction : "");
}

function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));
}

function readHash() {
  const match = location.hash.match(/^#set=(.*)$/);
  if (!match) return {};
  try {
    const value = JSON.parse(decodeURIComponent(match[1]));
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch (error) {
    return {};
  }
}

function writeHash() {
  const text = Object.keys(settings).length ? "#set=" + encodeURIComponent(
    JSON.stringify(settings)) : " ";
  history.replaceState(null, "", location.pathname + location.search + text.trim());
}

function controls() {
  return Array.from(document.querySelectorAll("[data-key]"));
}

function scaleOf(input) {
  return Number(input.dataset.scale || "1");
}

function showSettingsInControls() {
  for (const input of controls()) {
    const key = input.dataset.key;
    const changed = key in settings;
    if (input.tagName === "SELECT") {
      input.value = changed ? settings[key] : (page.share_base || input.value);
    } else {
      const value = changed ? settings[key] : input.dataset.base;
      input.value = value === "" || value === null || value === undefined ? ""
        : String(+(Number(value) * scaleOf(input)).toPrecision(12));
    }
    input.classList.toggle("changed", changed);
  }
}

function readControl(input) {
  const key = input.dataset.key;
  if (input.tagName === "SELECT") {
    if (input.value === page.share_base) delete settings[key];
    else settings[key] = input.value;
    return;
  }
  const text = input.value.trim();
  const base = input.dataset.base;
  if (text === "") {
    delete settings[key]; // an emptied field goes back to the instance's value
    return;
  }
  const value = +(Number(text) / scaleOf(input)).toPrecision(12);
  if (Number.isNaN(value)) return;
  if (base !== "" && Math.abs(value - Number(base)) <= 1e-12 * Math.max(1, Math.abs(value))) {
    delete settings[key];
  } else {
    settings[key] = value;
  }
}

function setState(state, words) {
  const element = document.getElementById("state");
  element.dataset.state = state;
  element.textContent = words;
}

function updateLinks() {
  const query = "set=" + encodeURIComponent(JSON.stringify(settings));
  document.getElementById("download-instance").href = "/api/download/instance?" + query;
  document.getElementById("download-report").href =
    "/api/download/report?lang=" + page.lang + "&" + query;
}

function listSettings() {
  const keys = Object.keys(settings).sort();
  document.getElementById("settings").textContent = keys.length
    ? keys.map((key) => key + " = " + settings[key]).join("; ") : T.no_settings;
}

function changeText(change) {
  const unit = change.unit || "";
  const decimals = unit === "MNOK" ? 1 : 2;
  return change.text_local || (change.text.split(":")[0] + ": " + format(change.base, decimals)
    + " → " + format(change.variant, decimals) + " " + unit);
}

function showChanges(list) {
  const target = document.getElementById("changes");
  target.replaceChildren();
  if (!list.length) {
    const item = document.createElement("li");
    item.textContent = T.no_changes;
    target.appendChild(item);
    return;
  }
  list.forEach((change, index) => {
    const item = document.createElement("li");
    item.textContent = changeText(change);
    item.hidden = index >= SHOWN_CHANGES && !allChanges;
    target.appendChild(item);
  });
  const more = document.getElementById("more-changes");
  more.hidden = list.length <= SHOWN_CHANGES;
  more.textContent = allChanges ? T.fewer : fill(T.more, { count: list.length });
}

function relaxationText(change) {
  const verb = change.value > change.current ? "relax.raise" : "relax.lower";
  const decimals = change.unit === "MNOK" ? 2 : 4;
  return fill(T[verb], {
    what: change.key, current: format(change.current, decimals),
    value: format(change.value, decimals), unit: change.unit,
  });
}

function showRelaxations(plan) {
  const box = document.getElementById("relaxations");
  box.replaceChildren();
  const found = (plan.serve && plan.serve.relaxations) || [];
  if (plan.metadata.status !== "infeasible") {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const intro = document.createElement("p");
  intro.textContent = found.length ? T.infeasible : T.no_relaxation;
  box.appendChild(intro);
  const list = document.createElement("ul");
  for (const answer of found) {
    const item = document.createElement("li");
    const words = document.createElement("span");
    words.className = "relaxation";
    words.textContent = answer.groups.join(" + ") + ": "
      + answer.changes.map(relaxationText).join("; ");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "apply";
    button.textContent = T.apply;
    button.addEventListener("click", () => {
      for (const change of answer.changes) settings[change.key] = change.value;
      showSettingsInControls();
      solve();
    });
    item.append(words, " ", button);
    list.appendChild(item);
  }
  box.appendChild(list);
}

function showPlan(plan) {
  const objective = plan.metadata.objective_mnok;
  const element = document.getElementById("objective");
  element.textContent = format(objective);
  element.dataset.objectiveMnok = objective === null ? "" : String(objective);
  const gap = plan.metadata.gap;
  document.getElementById("status").textContent = plan.metadata.status
    + (gap === null || gap === undefined ? "" : " (gap " + gap.toExponential(1) + ")");
  document.getElementById("timing").textContent = fill(T.answered, {
    seconds: format(plan.serve.seconds, 2), route: T["route." + plan.serve.route],
  });
  document.getElementById("error").hidden = true;
  lastChanges = plan.serve.changes || [];
  showChanges(lastChanges);
  showRelaxations(plan);
}

function showErrors(lines) {
  const box = document.getElementById("error");
  box.hidden = false;
  box.textContent = T.error + ":\n" + lines.join("\n");
}

async function loadReport(number) {
  const state = document.getElementById("report-state");
  state.textContent = T.report_loading;
  const query = "lang=" + page.lang + "&set=" + encodeURIComponent(JSON.stringify(settings));
  try {
    const response = await fetch("/api/report?" + query, { signal: controller.signal });
    if (number !== latest || !response.ok) return;
    document.getElementById("report").srcdoc = await response.text();
    state.textContent = "";
  } catch (error) {
    if (error.name !== "AbortError") state.textContent = String(error);
  }
}

async function solve() {
  const number = ++latest;
  if (controller) controller.abort();
  controller = new AbortController();
  writeHash();
  updateLinks();
  listSettings();
  setState("solving", T.solving);
  try {
    const response = await fetch("/api/solve", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ set: settings }),
      signal: controller.signal,
    });
    if (number !== latest || response.status === 409) return; // a newer change won
    const body = await response.json();
    if (response.status === 422) {
      setState("error", T.error);
      showErrors(body.errors || []);
      return;
    }
    if (!response.ok) {
      setState("error", T.error);
      showErrors([String(response.status)]);
      return;
    }
    showPlan(body);
    setState("ready", T.ready);
    loadReport(number);
  } catch (error) {
    if (error.name !== "AbortError") {
      setState("error", T.error);
      showErrors([String(error)]);
    }
  }
}

let timer = null;
function changed(event) {
  readControl(event.target);
  event.target.classList.toggle("changed", event.target.dataset.key in settings);
  clearTimeout(timer);
  timer = setTimeout(solve, 250); // typing several digits sends one request
}

async function save() {
  const response = await fetch("/api/save", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ set: settings }),
  });
  const body = await response.json();
  document.getElementById("saved").textContent = response.ok
    ? fill(T.saved, { id: body.run }) : (body.errors || [T.error]).join("; ");
}

document.addEventListener("DOMContentLoaded", () => {
  for (const input of controls()) {
    input.addEventListener(input.tagName === "SELECT" ? "change" : "input", changed);
  }
  document.getElementById("lang").addEventListener("change", (event) => {
    location.href = "/?lang=" + encodeURIComponent(event.target.value) + location.hash;
  });
  document.getElementById("reset").addEventListener("click", () => {
    settings = {};
    showSettingsInControls();
    solve();
  });
  document.getElementById("save").addEventListener("click", save);
  document.getElementById("more-changes").addEventListener("click", () => {
    allChanges = !allChanges;
    showChanges(lastChanges);
  });
  showSettingsInControls();
  solve();
});
