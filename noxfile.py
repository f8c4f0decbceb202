# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""nox sessions from antsibull-nox (configured in antsibull-nox.toml).

`make nox-checks` runs extra-checks (action groups, unwanted files, trailing whitespace); session
venvs live in build/nox and are reused between runs. galaxy-importer runs in `make galaxy-importer`
(tools/galaxy_importer_check.sh), not in antsibull-nox's build-import-check, which takes the
importer's errors for non-fatal warnings.
"""

import nox

try:
    import antsibull_nox
except ImportError:
    print("You need to install antsibull-nox in the same Python environment as nox.")
    raise

nox.options.envdir = "build/nox"
nox.options.reuse_existing_virtualenvs = True
nox.options.default_venv_backend = "venv"

antsibull_nox.load_antsibull_nox_toml()


# Allow running this file as a script (python noxfile.py); nox itself imports it.
if __name__ == "__main__":
    nox.main()
