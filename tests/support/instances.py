"""The project's folder, a small valid instance to change in a test (`VALID`; the fixture
`valid_instance` gives a fresh copy), and writing an instance as a YAML file."""

from __future__ import annotations

from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent.parent

VALID = {
    "format": 1,
    "name": "small",
    "years": {"first": 2025, "last": 2026},
    "resources": {"cpu": {"unit": "kcores"}, "gpu": {"unit": "GPUs"}},
    "tiers": [{"name": "open", "surcharge": 0}, {"name": "restricted", "surcharge": 0.2}],
    "locations": {"norway": {"national": True}, "finland": {"national": False, "allied": True}},
    "pools": {
        "sigma2": {"kind": "national", "location": "norway", "max_tier": "restricted",
                   "limit": {"gpu": 100}},
        "lumi": {"kind": "eurohpc", "location": "finland"},
        "cloud": {"kind": "cloud", "location": "finland", "price": {"gpu": 1.0}},
    },
    "products": {
        "gpu-node": {"pool": "sigma2", "capacity": {"gpu": 4}, "capex": 1.5, "lifetime": 5,
                     "batch": {"fixed_capex": 1, "min_units": 1}},
        "cpu-node": {"pool": "sigma2", "capacity": {"cpu": 1}, "capex": 1, "lifetime": 5},
        "lumi-share": {"pool": "lumi", "capacity": {"gpu": 0.5}, "capex": 1, "lifetime": 5,
                       "integer": False},
    },
    "existing": [{"name": "betzy", "pool": "sigma2", "capacity": {"cpu": 2}, "last_year": 2025}],
    "workloads": {
        "research-gpu": {"resource": "gpu", "demand": {"base": 8, "growth": 0.5},
                         "unmet_penalty": 2},
        "research-cpu": {"resource": "cpu", "demand": {2025: 2, 2026: 3}, "unmet_penalty": 5,
                         "placement": "national"},
    },
    "baseline_opex": 1,
    "budget": {"total": 100, "yearly": {2025: 50}},
    "policy": {"national_share": {"min": 0.5}},
}


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
