# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Probe steps of the resource engine: a question the device answers only through a write that
changes nothing or a job is the first step of the plan; the plan is made again with its answer;
it never counts as a change and check mode skips it like every step."""

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import ApiError
from ansible_collections.vapix.edge_storage.plugins.module_utils._resource import Resource, Step
from ansible_collections.vapix.edge_storage.plugins.module_utils._secrets import Secrets
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._drift import build_report, compact_result


class Client:
    def __init__(self):
        self.secrets = Secrets()
        self.request_count = 0
        self.accepted_writes = 0


class Device:
    def __init__(self):
        self.client = Client()

    def forget(self):
        pass


class Probed(Resource):
    """A value the device only confirms by a probe: `answer` is what the probe will say."""

    result_key = "thing"
    argument_spec = dict(value=dict(type="str"))

    def __init__(self, answer, check_mode=False, probe_after_write=False, fail_probe=False):
        super().__init__(Device(), {"value": "wanted"}, check_mode=check_mode)
        self.answer = answer
        self.known = None
        self.ran = []
        self.probe_after_write = probe_after_write
        self.fail_probe = fail_probe

    def read(self):
        return {"value": self.known or "unknown"}

    def desired(self, current):
        return {"value": "wanted" if self.known else current["value"]}

    def probed(self, before):
        return dict(before, value=self.known)

    def _probe(self):
        self.ran.append("probe")
        if self.fail_probe:
            raise ApiError("thing.cgi", "the device refused the question", code=7)
        self.known = self.answer
        return "the device says %s" % self.answer

    def _write(self):
        self.ran.append("write")
        self.device.client.accepted_writes += 1
        self.known = "wanted"
        return "written"

    def plan(self, current, desired):
        probe = Step("ask", "ask the device", self._probe, probe=True)
        write = Step("write", "write the value", self._write)
        if self.probe_after_write:
            return [write, probe]
        if self.known is None:
            return [probe]
        return [write] if self.known != "wanted" else []


def test_a_probe_that_finds_the_value_there_changes_nothing_and_is_shown():
    resource = Probed("wanted")
    result = resource.run(diff=True)
    assert resource.ran == ["probe"]
    assert result["changed"] is False
    assert result["steps"] == [
        {
            "action": "ask",
            "detail": "ask the device",
            "executed": True,
            "probe": True,
            "outcome": "the device says wanted",
        }
    ]
    # what the probe learnt is the state before the run: no difference shown
    assert result["diff"]["before"] == result["diff"]["after"] == {"value": "wanted"}


def test_the_plan_is_made_again_with_the_probes_answer():
    resource = Probed("other")
    result = resource.run(diff=True)
    assert resource.ran == ["probe", "write"]
    assert result["changed"] is True
    assert [(s["action"], s["executed"]) for s in result["steps"]] == [("ask", True), ("write", True)]
    assert result["diff"] == {"before": {"value": "other"}, "after": {"value": "wanted"}}


def test_check_mode_skips_the_probe_and_predicts_no_change():
    resource = Probed("other", check_mode=True)
    result = resource.run(diff=True)
    assert resource.ran == []
    assert result["changed"] is False
    assert result["steps"] == [{"action": "ask", "detail": "ask the device", "executed": False, "probe": True}]


def test_a_probe_after_a_write_is_a_programming_error():
    with pytest.raises(ValueError, match="before the plan's writes"):
        Probed("other", probe_after_write=True).run()


def test_a_refused_probe_fails_without_a_change():
    resource = Probed("other", fail_probe=True)
    with pytest.raises(ApiError) as failure:
        resource.run(diff=True)
    partial = failure.value.partial.result
    assert partial["changed"] is False
    assert partial["steps"][0]["failed"] and partial["steps"][0]["outcome"].startswith("refused")


def test_the_drift_report_does_not_count_a_skipped_probe():
    entry = {
        "resource": "encryption SD_DISK",
        "changed": False,
        "steps": [{"action": "ask", "detail": "ask the device", "executed": False, "probe": True}],
        "diff": {"before": {"value": "x"}, "after": {"value": "x"}},
    }
    result = {"changed": False, "resources": [entry]}
    report = build_report({"cam": result}, "now")
    assert report["devices"]["cam"]["class"] == "compliant"
    assert "steps" not in report["devices"]["cam"]["resources"][0]
    # a compliant resource whose only step is a probe is compacted like one with no step
    assert compact_result("cam", result)["resources"] == [
        {"resource": "encryption SD_DISK", "compared": {"value": "x"}}
    ]
