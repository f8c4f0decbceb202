# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What `requests` takes from the process environment (proxies, CA bundle), read from any mapping.

A shipped module runs in a process whose environment holds the task's `environment:`, and
requests reads proxies and CA bundles from os.environ. In the controller every host and thread
shares one os.environ, so the action plugin must not change it: it gives the client the
environment the module would have had, and the client reads it here with the same rules:
`requests.utils.get_environ_proxies` (urllib's `getproxies_environment`: lower-case names win,
an empty value unsets; requests' own `no_proxy` matching, then urllib's
`proxy_bypass_environment`) and requests' CA bundle order (REQUESTS_CA_BUNDLE, then
CURL_CA_BUNDLE).

Private (`_`-prefixed) module_utils: no compatibility promise outside this collection.
"""

from urllib.parse import urlparse
from urllib.request import proxy_bypass_environment

try:
    from requests.utils import address_in_network, is_ipv4_address, is_valid_cidr
except ImportError:  # _api reports the missing library
    address_in_network = is_ipv4_address = is_valid_cidr = None

# The variables requests reads for the CA bundle, in its order.
CA_BUNDLE_VARS = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


def ca_bundle(environ):
    """(bundle, variable) requests would verify with when no CA is given; (None, None) if unset."""
    for name in CA_BUNDLE_VARS:
        if environ.get(name):
            return environ[name], name
    return None, None


def environ_proxies(environ):
    """{scheme: proxy URL} from the *_proxy variables, as urllib's getproxies_environment reads them."""
    proxies = {}
    # any case first, then the lower-case names again so that they win
    for name, value in environ.items():
        name = name.lower()
        if value and name[-6:] == "_proxy":
            proxies[name[:-6]] = value
    if "REQUEST_METHOD" in environ:
        proxies.pop("http", None)  # a CGI process: HTTP_PROXY may come from a client's Proxy header
    for name, value in environ.items():
        if name[-6:] == "_proxy":
            name = name.lower()
            if value:
                proxies[name[:-6]] = value
            else:
                proxies.pop(name[:-6], None)
    return proxies


def _listed_in_no_proxy(hostname, port, no_proxy):
    """requests' own NO_PROXY test: an IPv4 address against addresses and CIDR blocks, a name (with
    or without the port) against names and their subdomains, as requests 2.32 and later match."""
    entries = [entry for entry in no_proxy.replace(" ", "").split(",") if entry]
    if is_ipv4_address(hostname):
        for entry in entries:
            if is_valid_cidr(entry):
                if address_in_network(hostname, entry):
                    return True
            elif hostname == entry:
                return True
        return False
    with_port = "%s:%s" % (hostname, port) if port else hostname
    for entry in entries:
        entry = entry.lstrip(".")
        if entry in (hostname, with_port) or hostname.endswith("." + entry) or with_port.endswith("." + entry):
            return True
    return False


def proxies_for(url, environ):
    """The proxies requests would use for `url` were `environ` the process environment."""
    parsed = urlparse(url)
    hostname = parsed.hostname
    if hostname is None:
        return {}
    no_proxy = environ.get("no_proxy") or environ.get("NO_PROXY")
    if no_proxy and _listed_in_no_proxy(hostname, parsed.port, no_proxy):
        return {}
    proxies = environ_proxies(environ)
    try:
        if proxy_bypass_environment(hostname, proxies):
            return {}
    except TypeError:
        pass
    return proxies
