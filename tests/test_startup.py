"""What the `planner` command sets up before any command runs (planner.cli)."""

from __future__ import annotations

import subprocess
import sys

from support.instances import PROJECT


def _fresh(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_numpy_testing_runs_only_when_a_name_of_it_is_used():
    """Pyomo imports numpy.testing once numpy is there; under the command that import
    makes the module without running it (nor unittest behind it), and a name of it, used
    in any of the usual ways, runs it then and works."""
    out = _fresh("""
import sys
import planner.cli
import numpy, pyomo.core
ran = [name for name in ('numpy.testing._private.utils', 'unittest') if name in sys.modules]
print(ran)
numpy.testing.assert_equal(2, 2)
import numpy.testing as testing
testing.assert_allclose([1.0], [1.0 + 1e-12])
from numpy.testing import assert_array_equal
assert_array_equal([1, 2], [1, 2])
try:
    testing.assert_equal(1, 2)
except AssertionError:
    print('compared')
""")
    assert out.splitlines() == ["[]", "compared"]


def test_importlib_metadata_runs_only_when_a_name_of_it_is_used():
    """Under the command, `import importlib.metadata` makes the module without running it
    (pydantic 2.13's plugin loader imports it so and, with plugins disabled, reads
    nothing of it; 2.14 imports a name of it, which runs it); a name used later works."""
    out = _fresh("""
import sys
import planner.cli
was_there = 'importlib.metadata._adapters' in sys.modules
import importlib.metadata as metadata
print(was_there or 'importlib.metadata._adapters' not in sys.modules)
print(metadata.version('pydantic') == __import__('pydantic').VERSION)
""")
    assert out.splitlines() == ["True", "True"]


def test_without_the_command_numpy_testing_is_as_numpy_makes_it():
    """Only the command defers it: the Python API imports numpy.testing as Pyomo asks."""
    out = _fresh("""
import sys
import planner
import numpy, pyomo.core
print('numpy.testing._private.utils' in sys.modules)
""")
    assert out.strip() == "True"
