"""TLS for the fleet: a throw-away CA (trustme) and one leaf certificate for the loopback.

Every device presents the same leaf (all of them are 127.0.0.1); the CA certificate is
written to a PEM file so clients can validate for real (validate_certs / ca_path).
"""

from __future__ import annotations

import os
import ssl
from pathlib import Path

import trustme


def make_server_context(ca_file: Path) -> ssl.SSLContext:
    """Create a CA and a leaf for 127.0.0.1/localhost; write the CA PEM to `ca_file`."""
    ca = trustme.CA(organization_name="vapix-sim", organization_unit_name="simulated devices")
    leaf = ca.issue_cert("127.0.0.1", "localhost", common_name="vapix-sim device")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)
    ca_file = Path(ca_file)
    ca_file.parent.mkdir(parents=True, exist_ok=True)
    # Written to a temporary name and renamed so a client never reads half a certificate.
    partial = ca_file.with_name(ca_file.name + ".partial")
    partial.write_bytes(ca.cert_pem.bytes())
    os.replace(partial, ca_file)
    return context
