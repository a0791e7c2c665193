"""Shared fixtures: a small valid instance to mutate, and a run store per test. Helpers
the tests import live in tests/support/."""

from __future__ import annotations

import copy

import pytest
from support.instances import PROJECT, VALID, write_yaml

# PROJECT and write_yaml are imported by tests written before tests/support/ existed.
__all__ = ["PROJECT", "VALID", "write_yaml"]

@pytest.fixture
def valid_instance() -> dict:
    """A fresh deep copy of a small valid instance, to change in a test."""
    return copy.deepcopy(VALID)


@pytest.fixture(autouse=True)
def isolated_run_store(tmp_path, monkeypatch):
    """Every test records its runs in its own store, never in the project's .planner/."""
    monkeypatch.setenv("PLANNER_STORE", str(tmp_path / "runs.sqlite"))
