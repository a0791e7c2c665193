"""The worker-pool runner of independent solves: sweep points (`planner.analyses.sweep`)
and the scenario subproblems of `planner stochastic` (`planner.analyses.stochastic`).

Jobs run in this process, on local worker processes or on a Dask cluster; results are
collected as they finish, and SIGINT/SIGTERM (`planner.solving.interrupts`) cancel the
pending jobs and end the running ones.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from planner.input.errors import InputError
from planner.solving.interrupts import check_interrupted


def default_workers() -> int:
    return os.cpu_count() or 1


def run_jobs(function: Callable, jobs: list[tuple], collect: Callable | None = None,
             workers: int = 1, scheduler: str | None = None) -> list:
    """Run `function(*job)` for every job, `collect` each result as it finishes (for
    progress), and return the results in the order of `jobs`.

    The route sweeps take, shared with other independent solves (the scenario subproblems
    of `planner stochastic`): `workers` local processes (1: in this process), or the Dask
    scheduler at `scheduler`. `function` must be importable by the workers. SIGINT/SIGTERM
    cancel pending jobs and end running ones.
    """
    if collect is None:
        def collect(_result) -> None:
            pass
    if scheduler is not None:
        return _run_on_dask(scheduler, jobs, collect, function)
    if workers <= 1:
        results = []
        for job in jobs:
            check_interrupted()
            results.append(function(*job))
            collect(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=_leave_signals_to_parent
                             ) as pool:
        futures = [pool.submit(function, *job) for job in jobs]
        try:
            _collect_as_done(futures, collect)
        except BaseException:
            for future in futures:
                future.cancel()
            _stop_workers(pool)
            raise
        return [future.result() for future in futures]


def _leave_signals_to_parent() -> None:
    # Ctrl-C, and a scheduler's SIGTERM to the process group, reach every process of the
    # group; the parent decides what stops (and then kills its workers), so a worker
    # ending on its own does not break the pool under the parent's feet.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """End worker processes still solving (SIGKILL: they ignore SIGINT and SIGTERM); their
    points are reported as unfinished. Returns once every worker has ended."""
    processes = list(getattr(pool, "_processes", {}).values())
    for process in processes:
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
    for process in processes:
        process.join(timeout=5)


def _collect_as_done(futures: list, collect: Callable, poll_seconds: float = 0.1) -> None:
    """Collect results as they finish, checking for SIGINT/SIGTERM between polls."""
    remaining = list(futures)
    while remaining:
        done = [future for future in remaining if future.done()]
        if not done:
            check_interrupted()
            time.sleep(poll_seconds)
            continue
        for future in done:
            remaining.remove(future)
            try:
                result = future.result()
            except BrokenProcessPool:
                # A worker that died while the parent was being stopped (a signal sent
                # to a worker alone, say) is the interrupt, not a defect.
                check_interrupted()
                raise
            collect(result)
    check_interrupted()


def _run_on_dask(scheduler: str, jobs: list[tuple], collect: Callable,
                 function: Callable) -> list:
    try:
        from dask.distributed import Client
    except ImportError:
        raise InputError("--scheduler", "Dask is not installed; pip install 'hpc-planner[dask]'"
                         ) from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError) as error:
        raise InputError("--scheduler", f"cannot reach the Dask scheduler at {scheduler!r}: "
                                        f"{error}") from None
    with client:
        futures = [client.submit(function, *job, pure=False) for job in jobs]
        try:
            _collect_as_done(futures, collect)
        except BaseException:
            client.cancel(futures)
            raise
        return [future.result() for future in futures]
