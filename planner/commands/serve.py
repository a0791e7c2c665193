"""`planner serve FILE`: the what-if page in a browser (docs/serve.md)."""

from __future__ import annotations

import ipaddress
import signal
import socket
import sys
from pathlib import Path

import click

from planner.commands.base import console, errors, main, store_option, user_errors

LOOPBACK_NAMES = ("localhost",)


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listening.bind((host, port))
    except OSError as error:
        listening.close()
        errors.print(f"error: cannot listen on {host}:{port} ({error.strerror or error})",
                     markup=False, highlight=False)
        sys.exit(7)
    return listening


@main.command(name="serve")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=8050, show_default=True,
              help="TCP port (0: any free port; the address is printed).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. Anything but loopback lets other machines in.")
@click.option("--lang", type=click.Choice(["en", "nb"]), default="en", show_default=True,
              help="The page's first language (switchable on the page).")
@click.option("--mip-gap", type=click.FloatRange(0, 1, max_open=True), default=1e-3,
              show_default=True, help="Relative MIP gap of every solve the page asks for.")
@store_option
@user_errors
def serve_command(file: Path, port: int, host: str, lang: str, mip_gap: float,
                  store: Path | None) -> None:
    """Serve a what-if page on FILE: move a cap in the browser, see the optimal plan."""
    import uvicorn

    from planner.serve.app import build_app
    from planner.serve.session import ServeSession
    from planner.solving.interrupts import cancel_running

    loopback = _is_loopback(host)
    if not loopback:
        errors.print(f"warning: listening on {host}, not on loopback: anyone who can reach "
                     "this machine can use the page, start solves and record runs in the "
                     "store. There is no login.", markup=False, highlight=False)
    console.print(f"Solving {file} for the page (gap {mip_gap:g})…", markup=False,
                  highlight=False)
    session = ServeSession(file, mip_gap=mip_gap, store_path=store)
    app = build_app(session, None if loopback else ["*"])
    listening = _bind(host, port)
    bound_port = listening.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    address = f"http://{shown_host}:{bound_port}/?lang={lang}"

    class Server(uvicorn.Server):
        stopped_by: int | None = None

        def handle_exit(self, sig: int, frame) -> None:
            # Ctrl-C or SIGTERM: cancel the solve in progress and stop serving. uvicorn
            # would raise the signal again once stopped; the planner instead ends with
            # 128 + its number, as every other command does.
            cancel_running()
            self.stopped_by = sig
            if self.should_exit and sig == signal.SIGINT:
                self.force_exit = True
            self.should_exit = True

    server = Server(uvicorn.Config(app, log_level="warning", lifespan="off",
                                   timeout_graceful_shutdown=2))
    console.print(f"planner serve: {address} ({session.base_instance.name}); Ctrl-C stops it",
                  markup=False, highlight=False, soft_wrap=True)
    sys.stdout.flush()
    server.run(sockets=[listening])
    if server.stopped_by is not None:
        name = signal.Signals(server.stopped_by).name
        console.print(f"planner serve: stopped by {name}", markup=False, highlight=False)
        sys.exit(128 + server.stopped_by)
