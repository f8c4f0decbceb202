# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""tools/integration_shards.py: every integration target in exactly one shard of `make test`."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import integration_shards  # noqa: E402

MAKEFILE = Path(__file__).resolve().parent.parent.parent / "Makefile"


def test_targets_are_the_runnable_folders(tmp_path):
    for name, aliases in (("axis_disk", "context/controller\n"), ("setup_sim", ""), ("old", "hidden\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "aliases").write_text(aliases)
    assert integration_shards.runnable_targets(tmp_path) == {"axis_disk"}


def test_a_missing_a_doubled_and_an_unknown_target_are_named():
    found = integration_shards.problems([["a", "b"], ["b", "ghost"]], {"a", "b", "c"})
    assert found == [
        "b is in shard 1 and shard 2",
        "c is in no shard: add it to an INTEGRATION_SHARD_<n> of the Makefile",
        "ghost is in shard 2 but is no target of %s" % integration_shards.TARGETS,
    ]


def test_the_makefiles_shards_hold_every_target_once():
    text = MAKEFILE.read_text().replace("\\\n", " ")
    shards = [value.split() for value in re.findall(r"^INTEGRATION_SHARD_\d+ := (.*)$", text, re.MULTILINE)]
    assert len(shards) >= 2
    assert integration_shards.problems(shards, integration_shards.runnable_targets()) == []
