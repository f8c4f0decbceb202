# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet storage health report: one row per device and disk, from axis_storage_info results.

Input is {host: axis_storage_info result (or its storage_info)}, from per-host tasks or the
fleet task alike, plus each host's declaration (for the retention it promises). Nothing here
talks to a device. Outputs: the report (JSON-able), CSV, and one self-contained HTML page
(inline CSS and SVG, a small inline script for sorting; its Content-Security-Policy forbids
every request outside the file).

Checks that fail the run (for CI): wear at or over `max_wear`, free space under
`min_free_percent`, a retention shortfall, a disk in a failed or locked-out state, a disk that
cannot record (a declared disk missing, disconnected or not mounted; any disk read-only, locked
or full), a device that gave no result (unreachable, or an error such as a host that is no Axis
device with storage), and a host whose declaration is invalid (its disks are still reported,
without it). A retention shortfall is a disk whose oldest recording is younger than
the declared retention while the disk is under space pressure (full, at its storage limit or
under the free-space threshold): fifo then deletes video before the policy says. Younger
recordings on a disk with room are "filling" (recording started recently), which fails only
with `retention_strict`.
"""

import csv
import datetime
import io
import json
from xml.sax.saxutils import escape, quoteattr

from ansible_collections.vapix.edge_storage.plugins.module_utils._values import SHARE_DISK_ID, human_kb, used_kb
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._drift import UNREACHABLE_KINDS
from ansible_collections.vapix.edge_storage.plugins.plugin_utils._import import storage_info_of

# disks/list.cgi statuses that need a person (the status texts of the Disk management API).
BAD_STATUSES = ("failed", "no passphrase", "wrong passphrase", "not encrypted")
# A recording that started within this many hours of the retention counts as meeting it.
RETENTION_TOLERANCE_DAYS = 1.0
# A disk at this share of its recording storage limit is at the limit.
LIMIT_PRESSURE = 0.99
DEFAULT_MAX_WEAR = 80
DEFAULT_MIN_FREE_PERCENT = 10.0

CSV_COLUMNS = (
    "device",
    "model",
    "firmware",
    "disk_id",
    "status",
    "wear_percent",
    "temperature_c",
    "total_kb",
    "used_kb",
    "free_kb",
    "free_percent",
    "full",
    "filesystem",
    "encryption",
    "cleanup_policy",
    "cleanup_max_age_days",
    "storage_limit_kb",
    "recordings",
    "oldest_recording_start",
    "oldest_recording_age_days",
    "retention_days",
    "retention",
    "problems",
)


def _parse_time(text):
    if not text:
        return None
    try:
        moment = datetime.datetime.strptime(str(text).strip(), "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return None
    return moment.replace(tzinfo=datetime.timezone.utc)


def _declared_disk(declaration, disk_id):
    for item in (declaration or {}).get("disks") or []:
        if isinstance(item, dict) and item.get("disk_id") == disk_id:
            return item
    return {}


def _encryption(disk):
    enabled, encrypted = disk.get("encryption_enabled"), disk.get("encrypted")
    if enabled is None and encrypted is None:
        return None
    if enabled and encrypted:
        return "encrypted"
    if enabled:
        return "enabled, not encrypted yet"
    if encrypted:
        return "disabled, content encrypted"
    return "off"


def _failure_message(result):
    if isinstance(result, dict):
        return result.get("msg") or ("unreachable" if result.get("unreachable") else "no storage_info in the result")
    return "no result: the host did not run the read"


def _failure_status(result):
    """`unreachable` for a host that did not answer (or refused the login) or gave no result,
    `error` for one that answered and failed (a host that is no Axis device with storage ...)."""
    if not isinstance(result, dict) or result.get("unreachable") or result.get("error_kind") in UNREACHABLE_KINDS:
        return "unreachable"
    return "error"


def _disk_problems(disk, declared):
    """Why a disk cannot record as the Disk management API lists it (its "storage disruption"
    cases: removed, unmounted, read-only, locked; full is judged with the free space).

    Missing, disconnected and unmounted count for a declared disk only: an empty slot nobody
    declared is not a fault, and `mounted: false` declares an unmounted disk.
    """
    status = disk.get("status")
    found = []
    if status is None:
        return found  # only the health of the disk was read, not the disk list
    if declared:
        if status == "disconnected":
            found.append(
                "status disconnected: the declared disk is not there (no card in the slot, or the share "
                "cannot be reached)"
            )
        elif not disk.get("mounted") and status not in BAD_STATUSES and declared.get("mounted") is not False:
            found.append("status %s: the declared disk is not mounted" % status)
    if status != "disconnected":
        if disk.get("readonly"):
            found.append("read-only: the device cannot record on it")
        if disk.get("locked") and declared.get("locked") is not True:
            found.append("locked: the device does not record on it")
    return found


def _missing_row(host, info, disk_id):
    return {
        "device": host,
        "model": (info.get("identity") or {}).get("model"),
        "disk_id": disk_id,
        "status": "missing",
        "retention": "unknown",
        "ok": False,
        "problems": ["missing: declared, but the device lists no disk %s" % disk_id],
    }


def _declared_ids(declaration):
    return [
        item.get("disk_id")
        for item in (declaration or {}).get("disks") or []
        if isinstance(item, dict) and isinstance(item.get("disk_id"), str)
    ]


class Thresholds:
    def __init__(self, max_wear=None, min_free_percent=None, retention_strict=False):
        self.max_wear = DEFAULT_MAX_WEAR if max_wear is None else int(max_wear)
        self.min_free_percent = DEFAULT_MIN_FREE_PERCENT if min_free_percent is None else float(min_free_percent)
        self.retention_strict = bool(retention_strict)

    def as_dict(self):
        return {
            "max_wear_percent": self.max_wear,
            "min_free_percent": self.min_free_percent,
            "retention_strict": self.retention_strict,
        }


def disk_row(host, info, disk_id, declaration, thresholds, now):
    disk = (info.get("disks") or {}).get(disk_id) or {}
    identity = info.get("identity") or {}
    health = disk.get("health") or {}
    limits = (info.get("storage_limits") or {}).get(disk_id) or {}
    recordings = (info.get("recordings") or {}).get(disk_id) or {}
    total, free = disk.get("total_kb"), disk.get("free_kb")
    used = used_kb(disk)
    free_percent = round(100.0 * free / total, 1) if total else None
    temperature = health.get("temperature")
    row = {
        "device": host,
        "model": identity.get("model"),
        "firmware": identity.get("firmware"),
        "disk_id": disk_id,
        "status": disk.get("status"),
        "wear_percent": health.get("wear"),
        "wear_alert_percent": (disk.get("alert_levels") or {}).get("wear"),
        "temperature_c": round(temperature - 273.15, 1) if temperature is not None else None,
        "overall_health_passed": health.get("overall_health_passed"),
        "total_kb": total if total else None,
        "used_kb": used,
        "free_kb": free if total else None,
        "free_percent": free_percent,
        "full": disk.get("full"),
        "filesystem": disk.get("filesystem"),
        "encryption": _encryption(disk),
        "cleanup_policy": disk.get("cleanup_policy"),
        "cleanup_max_age_days": disk.get("cleanup_max_age"),
        "storage_limit_kb": limits.get("limit_kb") or None,
        "recording_used_kb": limits.get("used_kb"),
        "recordings": recordings.get("count"),
        "oldest_recording_start": recordings.get("oldest_start"),
        "oldest_recording_age_days": None,
        "retention_days": None,
        "retention_source": None,
        "retention": "unknown",
        "problems": [],
    }
    oldest = _parse_time(recordings.get("oldest_start"))
    if oldest is not None:
        row["oldest_recording_age_days"] = round(max((now - oldest).total_seconds(), 0) / 86400.0, 2)
    declared = _declared_disk(declaration, disk_id)
    policy = declared.get("cleanup_policy") or disk.get("cleanup_policy")
    retention = declared.get("cleanup_max_age")
    row["retention_source"] = "declared" if retention is not None else "device"
    if retention is None:
        retention = disk.get("cleanup_max_age")
    problems = row["problems"]
    if row["status"] in BAD_STATUSES:
        problems.append("status %s" % row["status"])
    problems.extend(_disk_problems(disk, declared))
    if row["overall_health_passed"] is False:
        problems.append("overall health check failed")
    if row["wear_percent"] is not None and row["wear_percent"] >= thresholds.max_wear:
        problems.append("wear %s%% >= %s%%" % (row["wear_percent"], thresholds.max_wear))
    pressure = []
    if row["full"]:
        pressure.append("disk full")
    if free_percent is not None and free_percent < thresholds.min_free_percent:
        problems.append("free %s%% < %s%%" % (free_percent, thresholds.min_free_percent))
        pressure.append("free space low")
    elif row["full"]:
        problems.append("full")  # the device says so, whatever the sizes and the threshold say
    if (
        row["storage_limit_kb"]
        and row["recording_used_kb"] is not None
        and row["recording_used_kb"] >= LIMIT_PRESSURE * row["storage_limit_kb"]
    ):
        pressure.append("at its storage limit")
    if policy != "fifo" or not retention:
        row["retention"] = "no maximum age" if policy == "fifo" or policy == "none" else "unknown"
    else:
        row["retention_days"] = retention
        age = row["oldest_recording_age_days"]
        if age is None:
            row["retention"] = "unknown" if not recordings else "no recordings"
        elif age + RETENTION_TOLERANCE_DAYS >= retention:
            row["retention"] = "ok"
        elif pressure:
            row["retention"] = "short"
            problems.append("keeps %.1f of %s days (%s)" % (age, retention, ", ".join(pressure)))
        else:
            row["retention"] = "filling"
            if thresholds.retention_strict:
                problems.append("keeps %.1f of %s days (recording since then)" % (age, retention))
    row["ok"] = not problems
    return row


def _disk_trouble(disk):
    """Why a disk cannot take recordings now (Disk management API list.cgi fields), or None."""
    if disk.get("status") in (None, "disconnected"):
        return "has no disk (status %s)" % (disk.get("status") or "unknown")
    if disk.get("mounted") is False:
        return "is not mounted (status %s)" % disk.get("status")
    for field, text in (("locked", "is locked"), ("readonly", "is read-only"), ("full", "is full")):
        if disk.get(field):
            return text
    return None


def rule_problems(host, info, rows):
    """Recording rules (Event and action services) whose disk is missing, unmounted, locked,
    read-only or full: a problem on that disk's row, or a row of its own for a disk the device
    does not list. Returns the new rows; problems on existing rows are added in place."""
    disks = info.get("disks") or {}
    by_disk = dict((row.get("disk_id"), row) for row in rows)
    extra = {}
    # a rule into a recording group records to the group's disk
    group_disks = dict((group.get("id"), group.get("disk_id")) for group in info.get("recording_groups") or [])
    for rule in info.get("recording_rules") or []:
        group = rule.get("recording_group")
        disk_id = rule.get("disk_id") or group_disks.get(group)
        if not disk_id or not rule.get("enabled", True):
            continue
        disk = disks.get(disk_id)
        trouble = "does not exist on the device" if disk is None else _disk_trouble(disk)
        if trouble is None:
            continue
        problem = "recording rule %r records to %s%s, which %s" % (
            rule.get("name"),
            disk_id,
            " (recording group %s)" % group if group else "",
            trouble,
        )
        row = by_disk.get(disk_id) or extra.get(disk_id)
        if row is None:
            row = {
                "device": host,
                "disk_id": disk_id,
                "status": (disk or {}).get("status") or "missing",
                "retention": "unknown",
                "problems": [],
                "model": (info.get("identity") or {}).get("model"),
            }
            extra[disk_id] = row
        row["problems"].append(problem)
        row["ok"] = False
    return [extra[disk_id] for disk_id in sorted(extra)]


def declaration_problem(declaration):
    """Why the report cannot use a host's declaration (it is no dictionary), or None."""
    if declaration is None or isinstance(declaration, dict):
        return None
    return "the declaration must be a dictionary of disks, network_shares, ..., not %s" % type(declaration).__name__


def device_rows(host, result, declaration, thresholds, now, declaration_error=None):
    """The rows of one host. declaration_error: why its declaration is invalid (a failing row of
    its own; its disks are reported without the declaration)."""
    rows = []
    declaration_error = declaration_error or declaration_problem(declaration)
    if declaration_error:
        rows.append(
            {
                "device": host,
                "disk_id": None,
                "status": "invalid declaration",
                "retention": "unknown",
                "problems": ["invalid declaration: %s" % declaration_error],
                "ok": False,
            }
        )
        declaration = None
    info = storage_info_of(result)
    if info is None or (isinstance(result, dict) and result.get("failed")):
        return rows + [
            {
                "device": host,
                "disk_id": None,
                "status": _failure_status(result),
                "retention": "unknown",
                "problems": ["no data: %s" % _failure_message(result)],
                "ok": False,
            }
        ]
    disks = info.get("disks")
    if disks is None and "disks" in (info.get("gathered") or ["disks"]):
        why = (info.get("unavailable") or {}).get("disks") or "the result holds no disk list"
        return rows + [
            {
                "device": host,
                "disk_id": None,
                "status": "error",
                "retention": "unknown",
                "problems": ["no disk list: %s" % why],
                "ok": False,
            }
        ]
    disks = disks or {}
    for disk_id in sorted(disks, key=lambda d: (d == SHARE_DISK_ID, d)):
        disk = disks[disk_id]
        if (
            disk.get("filesystem") == "cifs"
            and disk.get("status") == "disconnected"
            and not _declared_disk(declaration, disk_id)
        ):
            continue  # the network share slot without a share: nothing to report
        rows.append(disk_row(host, info, disk_id, declaration, thresholds, now))
    rows.extend(_missing_row(host, info, disk_id) for disk_id in _declared_ids(declaration) if disk_id not in disks)
    rows.extend(rule_problems(host, info, rows))
    if not rows:
        rows.append(
            {
                "device": host,
                "disk_id": None,
                "status": "no disks",
                "retention": "unknown",
                "problems": [],
                "ok": True,
                "model": (info.get("identity") or {}).get("model"),
            }
        )
    return rows


def build_report(results, declarations=None, thresholds=None, now=None, declaration_errors=None):
    """results: {host: axis_storage_info result}; declarations: {host: its axis_storage};
    declaration_errors: {host: why its declaration is invalid} (that host's failing row)."""
    thresholds = thresholds or Thresholds()
    now = now or datetime.datetime.now(datetime.timezone.utc)
    declarations = declarations or {}
    declaration_errors = declaration_errors or {}
    rows = []
    for host in sorted(results or {}):
        rows.extend(
            device_rows(host, results[host], declarations.get(host), thresholds, now, declaration_errors.get(host))
        )
    return assemble_report(rows, thresholds.as_dict(), now.strftime("%Y-%m-%dT%H:%M:%SZ"))


def assemble_report(rows, thresholds, generated_at):
    """The report of evaluated rows (sorted by device): summary and verdict added.

    Shared by build_report and the merge of slice reports (_merge.py), so both summarise alike.
    """
    failing = [r for r in rows if not r["ok"]]
    devices = sorted(set(r["device"] for r in rows))
    return {
        "generated_at": generated_at,
        "thresholds": thresholds,
        "rows": rows,
        "summary": {
            "devices": len(devices),
            "disks": sum(1 for r in rows if r.get("disk_id")),
            "failing_rows": len(failing),
            "failing_devices": sorted(set(r["device"] for r in failing)),
            "retention": dict(
                (name, sum(1 for r in rows if r.get("retention") == name))
                for name in ("ok", "filling", "short", "no recordings", "no maximum age", "unknown")
            ),
        },
        "failed": bool(failing),
    }


def summary_text(report):
    s = report["summary"]
    lines = [
        "Storage health of %d device(s), %d disk(s): %s"
        % (
            s["devices"],
            s["disks"],
            "%d problem(s) on %s" % (s["failing_rows"], ", ".join(s["failing_devices"]))
            if s["failing_rows"]
            else "no problems",
        )
    ]
    for row in report["rows"]:
        if row["problems"]:
            lines.append("  %s %s: %s" % (row["device"], row.get("disk_id") or "-", "; ".join(row["problems"])))
    return "\n".join(lines) + "\n"


def to_json(report):
    return json.dumps(report, indent=2, sort_keys=True) + "\n"


def to_csv(report):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in report["rows"]:
        values = []
        for column in CSV_COLUMNS:
            value = row.get(column)
            if column == "problems":
                value = "; ".join(value or [])
            elif isinstance(value, bool):
                value = "yes" if value else "no"
            values.append("" if value is None else value)
        writer.writerow(values)
    return out.getvalue()


# --- HTML ------------------------------------------------------------------------------------

CSS = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px;color:#1d2733;background:#f6f8fa}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:0 0 8px}
.meta{color:#5b6b7b;margin-bottom:16px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:16px}
.card{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:10px 16px;min-width:120px}
.card b{display:block;font-size:22px}.card.bad b{color:#c62828}.card.good b{color:#2e7d32}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:16px;margin-bottom:16px}
figure{background:#fff;border:1px solid #d8dee4;border-radius:8px;margin:0;padding:12px}
figcaption{font-weight:600;margin-bottom:6px}
svg text{font-size:11px;fill:#1d2733}svg .axis{stroke:#8c959f}svg .limit{stroke:#c62828;stroke-dasharray:4 3}
.ok{fill:#2e7d32}.warn{fill:#ef8f00}.bad{fill:#c62828}.none{fill:#8c959f}.track{fill:#eaeef2}
.table-wrap{overflow-x:auto;border:1px solid #d8dee4;background:#fff}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #eaeef2;text-align:left;white-space:nowrap}
th{background:#eef2f6;cursor:pointer;user-select:none;position:sticky;top:0}
th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tr.problem td{background:#fdecea}td.problems{white-space:normal;min-width:240px;max-width:360px;color:#c62828}
.legend span{display:inline-block;margin-right:12px}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px}
"""

SCRIPT = """
(function(){
  var table=document.getElementById('health-table');
  var body=table.tBodies[0];
  var heads=table.tHead.rows[0].cells;
  function key(cell,numeric){
    var v=cell.getAttribute('data-sort');
    if(v===null){v=cell.textContent.trim();}
    if(numeric){return v===''?-Infinity:parseFloat(v);}
    return v.toLowerCase();
  }
  function sortBy(index,descending){
    var numeric=heads[index].getAttribute('data-type')==='number';
    var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){
      var x=key(a.cells[index],numeric),y=key(b.cells[index],numeric);
      var r=x<y?-1:(x>y?1:0);
      return descending?-r:r;
    });
    rows.forEach(function(row){body.appendChild(row);});
    for(var i=0;i<heads.length;i++){heads[i].removeAttribute('aria-sort');}
    heads[index].setAttribute('aria-sort',descending?'descending':'ascending');
    table.setAttribute('data-sorted',heads[index].getAttribute('data-key')+(descending?':descending':':ascending'));
  }
  Array.prototype.forEach.call(heads,function(head,index){
    head.addEventListener('click',function(){
      sortBy(index,head.getAttribute('aria-sort')==='ascending');
    });
  });
  // A link can open the page sorted: health.html#sort=wear_percent or #sort=-wear_percent (descending).
  var match=/^#sort=(-?)([a-z_]+)$/.exec(window.location.hash);
  if(match){
    for(var i=0;i<heads.length;i++){
      if(heads[i].getAttribute('data-key')===match[2]){sortBy(i,match[1]==='-');}
    }
  }
  document.body.setAttribute('data-ready','true');
})();
"""

TABLE_COLUMNS = (
    # key, title, numeric
    ("device", "Device", False),
    ("model", "Model", False),
    ("disk_id", "Disk", False),
    ("status", "Status", False),
    ("problems", "Problems", False),
    ("wear_percent", "Wear %", True),
    ("temperature_c", "Temp. \u00b0C", True),
    ("total_kb", "Total", True),
    ("used_kb", "Used", True),
    ("free_kb", "Free", True),
    ("free_percent", "Free %", True),
    ("full", "Full", False),
    ("filesystem", "File system", False),
    ("encryption", "Encryption", False),
    ("cleanup_policy", "Cleanup", False),
    ("cleanup_max_age_days", "Max age (days)", True),
    ("storage_limit_kb", "Storage limit", True),
    ("recordings", "Recordings", True),
    ("oldest_recording_age_days", "Oldest recording (days)", True),
    ("retention_days", "Retention (days)", True),
    ("retention", "Retention", False),
)
SIZE_COLUMNS = ("total_kb", "used_kb", "free_kb", "storage_limit_kb")


def _size(kb):
    return "" if kb is None else human_kb(kb)


def _cell(row, key, numeric):
    value = row.get(key)
    if key == "problems":
        return '<td class="problems">%s</td>' % escape("; ".join(value or []))
    if isinstance(value, bool):
        text = "yes" if value else "no"
    elif value is None:
        text = ""
    elif key in SIZE_COLUMNS:
        text = _size(value)
    else:
        text = "%s" % (value,)
    sort = "" if value is None else ("%s" % (int(value) if isinstance(value, bool) else value))
    return "<td%s data-sort=%s>%s</td>" % (' class="num"' if numeric else "", quoteattr(sort), escape(text))


def _label(row):
    return "%s %s" % (row["device"], row.get("disk_id") or "")


def _wear_class(wear, limit):
    if wear is None:
        return "none"
    if wear >= limit:
        return "bad"
    if wear >= 0.75 * limit:
        return "warn"
    return "ok"


def wear_chart(rows, thresholds):
    """Histogram of disks by wear (10 % buckets, the last one 100 % and over), threshold marked."""
    buckets = [[] for dummy in range(11)]
    for row in rows:
        wear = row.get("wear_percent")
        if wear is not None:
            buckets[min(int(wear) // 10, 10)].append(_label(row))
    unknown = [_label(r) for r in rows if r.get("disk_id") and r.get("wear_percent") is None]
    width, height, left, bottom, top = 420, 210, 34, 36, 14
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max([len(b) for b in buckets] + [1])
    bar_w = plot_w / 11.0
    parts = [
        '<svg id="chart-wear" role="img" viewBox="0 0 %d %d" width="100%%" aria-label="Wear distribution">'
        % (width, height)
    ]
    parts.append(
        '<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>' % (left, top + plot_h, width - 10, top + plot_h)
    )
    for i, names in enumerate(buckets):
        x = left + i * bar_w
        h = plot_h * len(names) / float(peak)
        low = i * 10
        cls = _wear_class(low if i < 10 else 100, thresholds.max_wear)
        span = "%d-%d" % (low, low + 9) if i < 10 else ">=100"
        title = "%s%%: %d disk(s)%s" % (span, len(names), (": " + ", ".join(names)) if names else "")
        parts.append(
            '<rect class="bar %s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"><title>%s</title></rect>'
            % (cls, x + 2, top + plot_h - h, bar_w - 4, h, escape(title))
        )
        if names:
            parts.append(
                '<text x="%.1f" y="%.1f" text-anchor="middle">%d</text>'
                % (x + bar_w / 2, top + plot_h - h - 3, len(names))
            )
        parts.append(
            '<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
            % (x + bar_w / 2, top + plot_h + 14, "%d" % low if i < 10 else "100+")
        )
    marker = left + bar_w * min(thresholds.max_wear / 10.0, 11)
    parts.append('<line class="limit" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>' % (marker, top, marker, top + plot_h))
    parts.append('<text x="%.1f" y="%d" text-anchor="end">max %d%%</text>' % (marker - 3, top + 9, thresholds.max_wear))
    parts.append(
        '<text x="%d" y="%d">wear %% (disks per 10 %%)%s</text>'
        % (left, height - 4, "; no wear reported: %d" % len(unknown) if unknown else "")
    )
    parts.append("</svg>")
    return "".join(parts)


def _hbar_chart(chart_id, label, items, scale_max, marker=None, marker_text=""):
    """Horizontal bars, one per (name, value, cls, title, mark): every device and disk named."""
    row_h, left, right, top = 18, 170, 80, 6
    width = 460
    height = top + row_h * max(len(items), 1) + 22
    plot_w = width - left - right
    parts = [
        '<svg id="%s" role="img" viewBox="0 0 %d %d" width="100%%" aria-label="%s">'
        % (chart_id, width, height, escape(label))
    ]
    for i, (name, value, cls, title, mark) in enumerate(items):
        y = top + i * row_h
        parts.append('<text x="%d" y="%d" text-anchor="end">%s</text>' % (left - 6, y + 12, escape(name[:28])))
        parts.append('<rect class="track" x="%d" y="%d" width="%d" height="12"/>' % (left, y + 2, plot_w))
        if value is not None:
            w = plot_w * min(max(value, 0) / float(scale_max or 1), 1.0)
            parts.append(
                '<rect class="bar %s" x="%d" y="%d" width="%.1f" height="12"><title>%s</title></rect>'
                % (cls, left, y + 2, w, escape(title))
            )
            parts.append(
                '<text x="%d" y="%d">%s</text>' % (left + plot_w + 4, y + 12, escape(title.split(": ")[-1][:14]))
            )
        else:
            parts.append('<text x="%d" y="%d">%s</text>' % (left + 4, y + 12, escape(title)))
        if mark is not None:
            mx = left + plot_w * min(mark / float(scale_max or 1), 1.0)
            parts.append('<line class="limit" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>' % (mx, y, mx, y + 16))
    if marker is not None:
        mx = left + plot_w * min(marker / float(scale_max or 1), 1.0)
        parts.append('<line class="limit" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>' % (mx, top, mx, height - 20))
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>' % (mx, height - 6, escape(marker_text)))
    parts.append("</svg>")
    return "".join(parts)


def fill_chart(rows, thresholds):
    items = []
    for row in rows:
        if not row.get("disk_id"):
            continue
        used_pct = None if row.get("free_percent") is None else round(100 - row["free_percent"], 1)
        limit_pct = None
        if row.get("storage_limit_kb") and row.get("total_kb"):
            limit_pct = 100.0 * row["storage_limit_kb"] / row["total_kb"]
        if used_pct is None:
            cls, title = "none", "size not reported (%s)" % (row.get("status") or "unknown")
        else:
            low = row["free_percent"] < thresholds.min_free_percent or row.get("full")
            cls = "bad" if low else ("warn" if row["free_percent"] < 2 * thresholds.min_free_percent else "ok")
            title = "%s: %.1f%% used" % (_label(row), used_pct)
        items.append((_label(row), used_pct, cls, title, limit_pct))
    return _hbar_chart(
        "chart-fill",
        "Fill level per disk",
        items,
        100,
        100 - thresholds.min_free_percent,
        "%g%% used" % (100 - thresholds.min_free_percent),
    )


RETENTION_CLASS = {"ok": "ok", "filling": "warn", "short": "bad"}


def retention_chart(rows):
    items = []
    top = 1
    for row in rows:
        if row.get("retention_days"):
            top = max(top, row["retention_days"], row.get("oldest_recording_age_days") or 0)
    for row in rows:
        if not row.get("disk_id"):
            continue
        age, policy = row.get("oldest_recording_age_days"), row.get("retention_days")
        if age is None or not policy:
            items.append((_label(row), None, "none", "%s" % row.get("retention"), policy))
            continue
        title = "%s: %.1f/%s d" % (_label(row), age, policy)
        items.append((_label(row), age, RETENTION_CLASS.get(row["retention"], "none"), title, policy))
    return _hbar_chart("chart-retention", "Oldest recording against the retention", items, top)


def to_html(report):
    rows = report["rows"]
    s = report["summary"]
    thresholds = Thresholds(
        report["thresholds"]["max_wear_percent"],
        report["thresholds"]["min_free_percent"],
        report["thresholds"]["retention_strict"],
    )
    head = "".join(
        "<th data-key=%s data-type=%s>%s</th>" % (quoteattr(k), quoteattr("number" if n else "text"), escape(t))
        for k, t, n in TABLE_COLUMNS
    )
    body = []
    for row in rows:
        cells = "".join(_cell(row, k, n) for k, _t, n in TABLE_COLUMNS)
        css_class = "" if row["ok"] else ' class="problem"'
        body.append("<tr%s data-device=%s>%s</tr>" % (css_class, quoteattr(row["device"]), cells))
    cards = [
        ("Devices", s["devices"], ""),
        ("Disks", s["disks"], ""),
        ("Problems", s["failing_rows"], "bad" if s["failing_rows"] else "good"),
        ("Retention short", s["retention"]["short"], "bad" if s["retention"]["short"] else "good"),
        ("Filling", s["retention"]["filling"], ""),
    ]
    card_html = "".join(
        '<div class="card %s">%s<b>%s</b></div>' % (cls, escape(name), value) for name, value, cls in cards
    )
    legend = (
        '<div class="legend"><span><i class="ok" style="background:#2e7d32"></i>ok</span>'
        '<span><i style="background:#ef8f00"></i>watch</span><span><i style="background:#c62828"></i>'
        'over threshold</span><span><i style="background:#8c959f"></i>not reported</span></div>'
    )
    return """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Edge storage health %(generated)s</title>
<style>%(css)s</style></head>
<body data-ready="false">
<h1>Edge storage health</h1>
<div class="meta">Generated %(generated)s by vapix.edge_storage. Thresholds: wear &lt; %(wear)s%%, free &ge; %(free)s%%,
oldest recording within the retention%(strict)s. Hover a bar for the disks it counts; click a column to sort.</div>
<div class="cards">%(cards)s</div>
<div class="charts">
<figure><figcaption>Wear distribution</figcaption>%(wear_chart)s</figure>
<figure><figcaption>Fill level (dashed: storage limit, and the free-space threshold)</figcaption>%(fill_chart)s</figure>
<figure><figcaption>Retention: oldest recording against the policy (dashed), days</figcaption>%(retention_chart)s</figure>
</div>
%(legend)s
<div class="table-wrap"><table id="health-table"><thead><tr>%(head)s</tr></thead><tbody>
%(body)s
</tbody></table></div>
<script>%(script)s</script>
</body></html>
""" % {
        "generated": escape(report["generated_at"]),
        "css": CSS,
        "wear": thresholds.max_wear,
        "free": thresholds.min_free_percent,
        "strict": " (strict: also while filling)" if thresholds.retention_strict else "",
        "cards": card_html,
        "wear_chart": wear_chart(rows, thresholds),
        "fill_chart": fill_chart(rows, thresholds),
        "retention_chart": retention_chart(rows),
        "legend": legend,
        "head": head,
        "body": "\n".join(body),
        "script": SCRIPT,
    }
