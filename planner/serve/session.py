"""One instance served: its base plan, the model kept for re-solves, one solve at a time.

A setting that changes only caps the instance has, share bounds or minimum coverage
re-solves the model built at start (`planner.parametric`: HiGHS gets the new row bounds);
any other setting rebuilds it (docs/serve.md). Solves run one at a time. A newer request
cancels the solve in progress (HiGHS's own cancel), and the request it replaces is answered
as superseded, never with the cancelled solve's plan.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from planner.analyses.explain import GROUP_TITLES, explain
from planner.analyses.whatif import ranked_changes
from planner.input.errors import InputError, Problem
from planner.input.loading import instance_from_data, read_instance_data
from planner.input.overrides import Override, apply_overrides
from planner.input.schema import Instance
from planner.results.plan import Plan
from planner.results.plan_diff import diff_plans
from planner.serve.settings import overrides_from_json
from planner.solving.api import solve
from planner.solving.interrupts import cancel_running
from planner.solving.parametric import ParametricModel, is_parametric
from planner.solving.solver import INFEASIBLE, SolverOptions
from planner.store import record_run

RE_SOLVE = "re-solve"
REBUILD = "rebuild"
CACHED_ANSWERS = 16
LISTED_CHANGES = 40


class Superseded(Exception):
    """A newer request arrived while this one waited or solved; its answer is not wanted."""


@dataclass
class Answer:
    """A setting's plan and what the page shows beside it."""

    overrides: list[Override]
    plan: Plan
    route: str  # RE_SOLVE or REBUILD
    seconds: float
    changes: list[dict[str, Any]] = field(default_factory=list)
    relaxations: list[dict[str, Any]] = field(default_factory=list)

    @property
    def override_texts(self) -> list[str]:
        return [override.text for override in self.overrides]

    def to_document(self) -> dict[str, Any]:
        """plan.json's layout, with what the server adds under `serve`."""
        document = self.plan.to_document()
        document["serve"] = {
            "set": self.override_texts,
            "route": self.route,
            "seconds": round(self.seconds, 4),
            "changes": self.changes,
            "relaxations": self.relaxations,
        }
        return document


def _key(overrides: list[Override]) -> str:
    return json.dumps([[override.path, override.value] for override in overrides],
                      sort_keys=True, default=str)


class ServeSession:
    """The instance a server was started on, and every solve it makes."""

    def __init__(self, path: str | Path, mip_gap: float = 1e-3,
                 store_path: str | Path | None = None):
        self.path = Path(path)
        self.base_data = read_instance_data(self.path)
        self.base_instance = instance_from_data(copy.deepcopy(self.base_data), str(self.path))
        if self.base_instance.scenarios:
            raise InputError(str(self.path), Problem(
                "scenarios", "`planner serve` plans for one forecast; keep one scenario "
                             "(probability 1) or remove `scenarios`"))
        self.options = SolverOptions(mip_gap=mip_gap)
        self.store_path = store_path
        self._solving = threading.Lock()
        self._counter = threading.Lock()
        self._generation = 0
        self._answers: OrderedDict[str, Answer] = OrderedDict()
        self._base_run_id: str | None = None
        started = time.perf_counter()
        self.parametric = ParametricModel(self.base_instance, self.options)
        self.base_plan = self.parametric.solve(self.base_instance)
        self.base = Answer([], self.base_plan, RE_SOLVE, time.perf_counter() - started)
        self._answers[_key([])] = self.base

    @property
    def busy(self) -> bool:
        return self._solving.locked()

    def instance_for(self, overrides: list[Override]) -> Instance:
        """The base instance with `overrides` applied, validated as `--set` validates."""
        data = apply_overrides(self.base_data, overrides)
        source = self.path.name
        if overrides:
            source += " with " + " ".join(f"--set {item.text}" for item in overrides)
        return instance_from_data(data, source)

    def answer(self, settings: Any) -> Answer:
        """The plan for a setting (`{"key.path": value}`), solved or remembered.

        Raises `InputError` for a bad key or value, `Superseded` when a newer request
        arrived first.
        """
        overrides = overrides_from_json(settings)
        instance = self.instance_for(overrides)
        key = _key(overrides)
        with self._counter:
            self._generation += 1
            generation = self._generation
            remembered = self._answers.get(key)
        if remembered is not None:
            return remembered
        cancel_running()  # a newer change cancels the solve in progress
        with self._solving:
            if generation != self._generation:
                raise Superseded
            answer = self._solve(instance, overrides, generation)
        with self._counter:
            self._answers[key] = answer
            while len(self._answers) > CACHED_ANSWERS:
                self._answers.popitem(last=False)
        return answer

    def _check(self, generation: int) -> None:
        if generation != self._generation:
            raise Superseded

    def _solve(self, instance: Instance, overrides: list[Override], generation: int) -> Answer:
        started = time.perf_counter()
        paths = [override.path for override in overrides]
        if is_parametric(paths) and self.parametric.accepts_instance(instance):
            plan, route = self.parametric.solve(instance), RE_SOLVE
        else:
            plan, route = solve(instance, mip_gap=self.options.mip_gap,
                                marginal_values=False), REBUILD
        self._check(generation)
        answer = Answer(overrides, plan, route, time.perf_counter() - started)
        if plan.has_plan and self.base_plan.has_plan:
            changes = ranked_changes(diff_plans(self.base_plan, plan, "base", "variant"))
            answer.changes = [
                {"text": row.text, "category": row.category, "base": row.base,
                 "variant": row.variant, "change": row.change, "unit": row.unit}
                for row in changes.head(LISTED_CHANGES).itertuples()]
        if plan.status == INFEASIBLE:
            answer.relaxations = self._relaxations(instance)
            self._check(generation)
        return answer

    def _relaxations(self, instance: Instance) -> list[dict[str, Any]]:
        found = explain(instance, self.options)
        answers = [a for a in found.single_groups if a.restores]
        if found.combination is not None and found.combination.restores:
            answers.append(found.combination)
        return [{
            "groups": [GROUP_TITLES[group] for group in answer.groups],
            "confirmed": bool(answer.confirmed),
            "changes": [{"key": change.path, "current": change.current,
                         "value": change.proposed, "unit": change.unit}
                        for change in answer.relaxations],
        } for answer in answers]

    def record(self, answer: Answer) -> str:
        """Record a setting's plan in the run store as a what-if of the base; its id."""
        if self._base_run_id is None:
            self._base_run_id = record_run("solve", self.path, [], self.base_plan,
                                           self.store_path, details={"by": "planner serve"})
        return record_run("whatif", self.path, answer.override_texts, answer.plan,
                          self.store_path, parent=self._base_run_id,
                          details={"by": "planner serve"})

    def instance_yaml(self, overrides: list[Override]) -> str:
        """The instance file with the setting applied, as YAML (validated first)."""
        self.instance_for(overrides)
        data = apply_overrides(self.base_data, overrides)
        settings = json.dumps([override.text for override in overrides], ensure_ascii=True)
        header = (f"# {json.dumps(self.path.name, ensure_ascii=True)} with the settings "
                  f"{settings}, saved by `planner serve`\n")
        return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
