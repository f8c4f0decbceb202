#!/usr/bin/env python3
"""The floor for a drift check: the same reads as axis_storage's, from a plain Python script.

One keep-alive `requests.Session` with HTTP Digest per device (one 401 challenge, then the
nonce is reused), a small thread pool over the devices, no Ansible. The reads are the ones an
idempotent `axis_storage --check` of the benchmark's declaration
(bench/playbooks/group_vars/all/declaration.yml) makes; bench/fleet_bench.py checks that the
simulator counted the same requests per CGI for both. Responses are fetched and
status-checked, not compared: this is the cost of the HTTP alone.

    floor_reads.py --inventory INVENTORY.yml [--threads 4]
"""

import argparse
import json
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests
import yaml
from requests.auth import HTTPDigestAuth

from vapix_sim.inventory import inventory_hosts

# (method, CGI under /axis-cgi/, query arguments or JSON body) per device type.
READS = {
    "camera": [
        ("GET", "record/continuous/listconfiguration.cgi", None),
        ("GET", "disks/networkshare/list.cgi", {"schemaversion": "1", "shareid": "all"}),
        ("GET", "disks/list.cgi", {"diskid": "all"}),
        ("GET", "record/storage/getlimit.cgi", {"schemaversion": "1"}),
        ("GET", "disks/properties/getdiskalertlevels.cgi", {"schemaversion": "1", "diskid": "SD_DISK"}),
        ("POST", "apidiscovery.cgi", {"apiVersion": "1.0", "context": "bench", "method": "getApiList"}),
    ],
    "recorder": [
        ("GET", "record/continuous/listconfiguration.cgi", None),
        ("GET", "externalipdeviceinfo/list.cgi", {"schemaversion": "2"}),
        ("GET", "disks/list.cgi", {"diskid": "all"}),
        ("GET", "disks/properties/getdiskalertlevels.cgi", {"schemaversion": "1", "diskid": "HDD_DISK"}),
        ("GET", "disks/networkshare/list.cgi", {"schemaversion": "1", "shareid": "all"}),
    ],
}


def devices(inventory_path):
    with open(inventory_path) as handle:
        return list(inventory_hosts(yaml.safe_load(handle)).items())


def read_device(host):
    """Every read of one device over one keep-alive session; returns the number of failures."""
    base = "http://%s:%s/axis-cgi/" % (host["axis_host"], host["axis_port"])
    failures = 0
    with requests.Session() as session:
        session.auth = HTTPDigestAuth(host["axis_username"], host["axis_password"])
        for method, cgi, args in READS[host["axis_device_type"]]:
            if method == "POST":
                response = session.post(base + cgi, json=args, timeout=10)
            else:
                response = session.get(base + cgi, params=args, timeout=10)
            _ = response.content  # read the whole body, as a client that parses it would
            if response.status_code != 200:
                failures += 1
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inventory", required=True, help="the YAML inventory vapix-sim wrote")
    parser.add_argument("--threads", type=int, default=4, help="devices read at the same time (default 4)")
    args = parser.parse_args()
    hosts = [host for _name, host in devices(args.inventory)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.threads)) as pool:
        failures = sum(pool.map(read_device, hosts))
    print(json.dumps({"devices": len(hosts), "failures": failures, "seconds": round(time.monotonic() - started, 3)}))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
