# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every error envelope of the spec maps to (code, description); success bodies map to None."""

import pytest
import xmltodict
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import Secrets
from ansible_collections.vapix.edge_storage.plugins.module_utils._xml import find_error

ROOT = (
    '<?xml version="1.0"?><root xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:noNamespaceSchemaLocation="http://www.axis.com/vapix/http_cgi/disk/startjob1.xsd">%s</root>'
)

ENVELOPES = [
    (
        "job start error",
        ROOT % '<job action="format" diskid="SD_DISK" result="ERROR" description="Disk is locked"/>',
        (None, "Disk is locked"),
    ),
    (
        "continuous add error",
        ROOT % '<configure profile="3" result="ERROR" errormsg="Too many profiles"/>',
        (None, "Too many profiles"),
    ),
    (
        "network share GeneralError",
        '<?xml version="1.0" encoding="UTF-8"?><NetworkShareResponse SchemaVersion="1.0"><GeneralError>'
        "<ErrorCode>600</ErrorCode><ErrorDescription>The network share is bound</ErrorDescription>"
        "</GeneralError></NetworkShareResponse>",
        (600, "The network share is bound"),
    ),
    (
        "disk properties, namespaced",
        '<?xml version="1.0"?><DiskPropertiesResponse xmlns="http://www.axis.com/vapix/http_cgi/disk/properties1" '
        'SchemaVersion="1.0"><Error><GeneralError><ErrorCode>160</ErrorCode><ErrorDescription>The disk is mounted.'
        "</ErrorDescription></GeneralError></Error></DiskPropertiesResponse>",
        (160, "The disk is mounted."),
    ),
    (
        "external device DeviceResponse with Description",
        '<?xml version="1.0"?><DeviceResponse SchemaVersion="2.1"><GeneralError><ErrorCode>190</ErrorCode>'
        "<Description>Invalid protocol</Description></GeneralError></DeviceResponse>",
        (190, "Invalid protocol"),
    ),
    (
        "share job finished with error",
        '<?xml version="1.0"?><NetworkShareResponse SchemaVersion="1.0"><JobSuccess><GeneralError><ErrorCode>700'
        "</ErrorCode><ErrorDescription>No such hostname.</ErrorDescription></GeneralError></JobSuccess>"
        "</NetworkShareResponse>",
        (700, "No such hostname."),
    ),
    (
        "storage limit error straight under the root (as scraped)",
        '<?xml version="1.0"?><StorageLimitsResponse SchemaVersion="1.0"><ErrorCode>120</ErrorCode>'
        "<ErrorDescription>Invalid size value</ErrorDescription></StorageLimitsResponse>",
        (120, "Invalid size value"),
    ),
]

SUCCESSES = [
    ROOT % '<job action="format" diskid="SD_DISK" result="OK" jobid="11"/>',
    '<?xml version="1.0"?><NetworkShareResponse SchemaVersion="1.0"><JobSuccess><Progress>15</Progress>'
    "</JobSuccess></NetworkShareResponse>",
    '<?xml version="1.0"?><DiskPropertiesResponse xmlns="http://www.axis.com/vapix/http_cgi/disk/properties1" '
    'SchemaVersion="1.0"><Success><GeneralSuccess/></Success></DiskPropertiesResponse>',
]


@pytest.mark.parametrize("name,body,expected", ENVELOPES, ids=[e[0] for e in ENVELOPES])
def test_error_envelopes(name, body, expected):
    assert find_error(xmltodict.parse(body)) == expected


@pytest.mark.parametrize("body", SUCCESSES)
def test_success_envelopes_are_not_errors(body):
    assert find_error(xmltodict.parse(body)) is None


def test_error_message_names_cgi_code_and_description():
    exc = VapixError("disks/properties/enablediskencryption.cgi", "The disk is mounted.", code=160)
    assert str(exc) == "disks/properties/enablediskencryption.cgi: error 160: The disk is mounted."
    assert exc.to_result()["error_code"] == 160


def test_secrets_are_masked_in_text_and_urls():
    secrets = Secrets()
    secrets.add("s3cr&t pass")
    text = "GET /axis-cgi/x.cgi?pass=s3cr%26t+pass and s3cr%26t%20pass and s3cr&t pass"
    masked = secrets.mask(text)
    assert "s3cr" not in masked
    assert masked.count("********") == 3
    assert secrets.mask_args({"pass": "x", "user": "bob"}) == {"pass": "********", "user": "bob"}
