"""`vapix-sim`: serve a fleet of simulated Axis devices on consecutive loopback ports."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import resource
import signal
import sys
from pathlib import Path

from .auth import DEFAULT_NONCE_LIFETIME, POLICIES
from .event_catalog import PRESETS
from .faults import FaultError
from .fleet import HOST, PROFILES, Fleet, FleetConfig
from .model import DEFAULT_PASSWORDS

LOG = logging.getLogger("vapix_sim")


def default_state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "vapix-sim"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vapix-sim", description="Simulated Axis cameras and recorders (VAPIX edge storage) on 127.0.0.1."
    )
    fleet = parser.add_argument_group("fleet")
    fleet.add_argument("--devices", type=int, default=1, metavar="N", help="number of devices (default 1)")
    fleet.add_argument(
        "--base-port",
        type=int,
        default=8000,
        metavar="P",
        help="device k listens on P+k-1 (default 8000; 0 = any free ports)",
    )
    fleet.add_argument(
        "--profile",
        choices=PROFILES,
        default="camera",
        help="camera, recorder, mixed (every 4th device a recorder), or multisensor (a camera with 4 video channels)",
    )
    fleet.add_argument(
        "--firmware",
        default="12.11",
        metavar="VERSION",
        help="firmware generation: 12.11 (default), 9.80 or 5.51; a comma list "
        "(e.g. 12.11,9.80,5.51) is cycled over the devices",
    )
    fleet.add_argument(
        "--sensors",
        type=int,
        default=None,
        metavar="N",
        help="video channels per camera (default 1; --profile multisensor: 4)",
    )
    fleet.add_argument("--second-sd", action="store_true", help="cameras have a second SD card slot (SD_DISK2)")
    fleet.add_argument(
        "--job-time-scale",
        type=float,
        default=1.0,
        metavar="F",
        help="multiplier on job durations (default 1.0; tests use e.g. 0.02)",
    )
    fleet.add_argument(
        "--preset",
        choices=PRESETS,
        default=None,
        help="what other software left on every device: vms (a motion "
        "recording rule and a status LED rule, as a VMS makes them)",
    )
    fleet.add_argument("--seed", type=int, default=None, help="make nonces and secrets reproducible")
    fleet.add_argument(
        "--auth-policy",
        choices=POLICIES,
        default=None,
        help="set every device's HTTP authentication policy (default: the device's own, recommended)",
    )
    fleet.add_argument(
        "--root-password",
        default=None,
        metavar="PW",
        help="root's password on every device (default: %s)" % DEFAULT_PASSWORDS["root"],
    )
    fleet.add_argument(
        "--nonce-lifetime",
        type=float,
        default=DEFAULT_NONCE_LIFETIME,
        metavar="S",
        help="Digest nonce lifetime in seconds (default %(default)s)",
    )
    files = parser.add_argument_group("files")
    files.add_argument("--state-dir", default=None, help="where default files go (default $XDG_STATE_HOME/vapix-sim)")
    files.add_argument("--inventory", metavar="FILE", help="write an Ansible YAML inventory")
    files.add_argument(
        "--state-file", metavar="PATH", help="load device state from PATH at start if present, save at shutdown"
    )
    tls = parser.add_argument_group("TLS")
    tls.add_argument("--https", action="store_true", help="serve HTTPS on every device port")
    tls.add_argument("--ca-file", metavar="PATH", help="where to write the CA certificate (default STATE_DIR/ca.pem)")
    ctl = parser.add_argument_group("control and faults")
    ctl.add_argument(
        "--control", action="store_true", help="serve the unauthenticated /sim/ control endpoint on every port"
    )
    ctl.add_argument(
        "--log-size",
        type=int,
        default=10000,
        metavar="N",
        help="request log entries kept per device (default %(default)s)",
    )
    ctl.add_argument("--latency-ms", type=int, default=0, help="added latency per CGI request")
    ctl.add_argument(
        "--fail-503", type=int, default=0, metavar="N", help="the first N CGI requests of each device answer 503"
    )
    ctl.add_argument(
        "--retry-after",
        type=int,
        default=5,
        metavar="S",
        help="Retry-After seconds sent with 503 (default %(default)s)",
    )
    ctl.add_argument(
        "--drop",
        type=int,
        default=0,
        metavar="N",
        help="the first N CGI requests of each device get their connection closed",
    )
    ctl.add_argument(
        "--job-fail-at", type=int, default=None, metavar="PCT", help="disk and share jobs fail at this progress"
    )
    ctl.add_argument("--job-hang", action="store_true", help="disk and share jobs never finish")
    ctl.add_argument(
        "--job-faults-persistent", action="store_true", help="job faults hit every job, not only each device's first"
    )
    ctl.add_argument(
        "--not-axis",
        action="store_true",
        help="no device is an Axis device: every path outside /sim/ answers another web "
        "server's 404 page, nothing asks for a login",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    return parser


def config_from_args(args: argparse.Namespace) -> FleetConfig:
    faults = {}
    if args.latency_ms:
        faults["latency_ms"] = args.latency_ms
    if args.fail_503:
        faults["http_503"] = args.fail_503
    if args.retry_after != 5:
        faults["retry_after"] = args.retry_after
    if args.drop:
        faults["drop"] = args.drop
    if args.job_fail_at is not None:
        faults["job_fail"] = {"at": args.job_fail_at, "persistent": args.job_faults_persistent}
    if args.job_hang:
        faults["job_hang"] = {"persistent": args.job_faults_persistent}
    if args.not_axis:
        faults["not_axis"] = True
    ca_file = None
    if args.https:
        state_dir = Path(args.state_dir) if args.state_dir else default_state_dir()
        ca_file = str(Path(args.ca_file) if args.ca_file else state_dir / "ca.pem")
    return FleetConfig(
        devices=args.devices,
        base_port=args.base_port,
        profile=args.profile,
        firmware=args.firmware,
        sensors=args.sensors,
        second_sd=args.second_sd,
        https=args.https,
        ca_file=ca_file,
        control=args.control,
        job_time_scale=args.job_time_scale,
        seed=args.seed,
        auth_policy=args.auth_policy,
        root_password=args.root_password,
        nonce_lifetime=args.nonce_lifetime,
        state_file=args.state_file,
        faults=faults,
        log_size=args.log_size,
        preset=args.preset,
    )


def _raise_fd_limit(needed: int) -> None:
    # Every device is a listening socket plus its clients' connections.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        target = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def port_summary(ports: list) -> str:
    if len(ports) == 1:
        return "%s:%d" % (HOST, ports[0])
    if ports == list(range(ports[0], ports[0] + len(ports))):
        return "%s:%d-%d" % (HOST, ports[0], ports[-1])
    return "%s ports %s" % (HOST, ",".join(str(p) for p in ports))


async def serve(config: FleetConfig, inventory: str | None = None, ready_stream=None) -> int:
    """Run the fleet until SIGINT/SIGTERM. Returns the exit status."""
    # Signals first: one arriving during start-up still gives a clean stop (and state save).
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    # Imported here, and TLS/YAML only when used: start-up time matters for big fleets.
    from . import handlers  # noqa: F401  (registers every CGI)
    from .server import FleetServer, bind_sockets, socket_ports

    ready_stream = ready_stream or sys.stdout
    _raise_fd_limit(config.devices * 4 + 256)
    sockets = bind_sockets(config.devices, config.base_port)
    try:
        fleet = Fleet(config, socket_ports(sockets))
        ssl_context = None
        if config.https:
            from .tls import make_server_context

            ssl_context = make_server_context(Path(config.ca_file))
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    server = FleetServer(fleet, ssl_context)
    status = 0
    try:
        await server.start(sockets)
        if inventory:
            from .inventory import write_inventory

            write_inventory(inventory, fleet, config.ca_file)
        ports = [node.port for node in fleet.nodes]
        print(
            "vapix-sim ready: %d device%s on %s (%s)"
            % (config.devices, "" if config.devices == 1 else "s", port_summary(ports), config.scheme),
            file=ready_stream,
            flush=True,
        )
        if config.https:
            LOG.info("CA certificate: %s", config.ca_file)
        if inventory:
            LOG.info("inventory: %s", inventory)
        await stop.wait()
        LOG.info("shutting down")
    finally:
        await server.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        if config.state_file:
            try:
                fleet.save_state(config.state_file)
                LOG.info("state saved to %s", config.state_file)
            except OSError as exc:
                LOG.error("could not save state to %s: %s", config.state_file, exc)
                status = 1
    return status


def main(argv: list | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(name)s %(levelname)s %(message)s",
        stream=sys.stderr,
    )
    try:
        config = config_from_args(args)
        config.validate()
    except (ValueError, FaultError) as exc:
        print("vapix-sim: %s" % exc, file=sys.stderr)
        return 2
    try:
        return asyncio.run(serve(config, args.inventory))
    except ValueError as exc:  # e.g. an unusable state file
        print("vapix-sim: %s" % exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print("vapix-sim: %s" % (exc.strerror or exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # interrupted before the signal handlers were installed
        return 130


if __name__ == "__main__":
    sys.exit(main())
