"""State of one simulated Axis device: disks, shares, limits, profiles, external devices.

Everything a CGI reads or writes lives here, as plain dataclasses, so that the control
endpoint can show and patch it and the state file can persist it. CGI handlers own the
rules (preconditions, error codes); this module owns the data and the factory defaults.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .firmware import DEFAULT_FIRMWARE, WEB_SERVICE, Firmware
from .firmware import DISK_PROPERTIES as DISK_PROPERTIES_FEATURE
from .firmware import firmware as firmware_preset

CAMERA = "camera"
RECORDER = "recorder"

# Simulated durations (seconds) of disk and share jobs at time scale 1.0: a demo-like pace.
# The fleet's job_time_scale multiplies them (tests use a tiny scale).
JOB_SECONDS = {
    "format": 8.0,
    "checkdisk": 6.0,
    "repair": 10.0,
    "mount": 2.0,
    "unmount": 1.0,
    "sharetest": 2.0,
}


@dataclass
class Job:
    """A disk or share job whose progress is a pure function of the clock.

    `on_done` runs once, when the device is ticked past `ends_at` (see Device.tick), so
    effects (disk mounted, disk formatted) land even if nobody polls job.cgi.
    """

    job_id: int
    action: str  # format, checkdisk, repair, mount, unmount, sharetest
    disk_id: str  # the disk, or the share id for a share test
    started_at: float
    duration: float
    fail_at: int | None = None  # progress (0..100) at which the job fails
    fail_code: int = 0  # share jobs: error code (700..760) on failure
    fail_description: str = ""
    never_finish: bool = False  # progress stops at 99 forever
    finished: bool = False
    failed: bool = False
    on_done: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def progress(self, now: float) -> int:
        if self.finished:
            return 100
        if self.duration <= 0:
            pct = 100
        else:
            pct = int(100 * (now - self.started_at) / self.duration)
        pct = max(0, min(100, pct))
        if self.never_finish:
            return min(pct, 99)
        if self.fail_at is not None and pct >= self.fail_at:
            return 100
        return pct

    def due(self, now: float) -> bool:
        return not self.finished and self.progress(now) >= 100


@dataclass
class Disk:
    disk_id: str
    group: str  # param group S0, S1 ...
    kind: str  # "sd", "hdd" or "share"
    device_node: str
    total_kb: int = 0
    used_kb: int = 0  # space held by recordings
    present: bool = True  # card inserted / share bound
    filesystem: str = "vfat"  # ext4, vfat, cifs; "none" when never formatted
    mounted: bool = True
    failed: bool = False  # hardware failure: status "failed"
    locked: bool = False
    readonly: bool = False
    friendly_name: str = ""
    cleanup_level: int = 99  # obsolete; real devices always list 99
    cleanup_max_age: int = 7
    cleanup_policy: str = "fifo"
    required_fs: str = "none"
    encryption_supported: bool = True
    required_fs_supported: bool = True
    encryption_enabled: bool = False
    encrypted: bool = False  # true once formatted while encryption was enabled
    passphrase: str | None = None
    # The passphrase the content was encrypted with (set by a format with encryption on, moved
    # along by a passphrase change). Kept apart from `passphrase`, the configured one, so that
    # re-enabling with another passphrase shows "wrong passphrase" every time, not only once.
    content_passphrase: str | None = None
    passphrase_state: str = "ok"  # ok, missing, wrong: drives "no/wrong passphrase"
    auto_repair: bool = True
    mount_on_boot: bool = True
    enabled: bool = True  # Storage.S#.Enabled (takes effect after a restart)
    extra_mount_options: str = ""  # Storage.S#.ExtraMountOptions
    mount_point_permissions: str = "0770"  # Storage.S#.MountPointPermissions
    alert_wear: int = 90  # percent
    alert_temperature: int = 358  # Kelvin
    wear: int = 3  # percent; -1 unsupported
    temperature: int = 313  # Kelvin; -1 unsupported
    storage_limit_kb: int = 0  # 0 = no limit
    busy_job: int | None = None  # id of the disk job running on this disk


@dataclass
class Share:
    share_id: str
    nice_name: str
    address: str
    share: str
    user: str = ""
    password: str = ""
    bound: bool = False
    automatic_mount: bool = True
    # recordings kept on the NAS while the share is not bound: they reappear on the next bind
    used_kb: int = 0
    # simulated reachability of the NAS: None = fine, else an error code 700..760
    fault_code: int | None = None
    # mount options the simulated NAS insists on (e.g. "vers=3.0"): each must be in the share
    # disk's Storage.S#.ExtraMountOptions, else mounting the share fails
    required_mount_options: str = ""


@dataclass
class Profile:
    profile_id: int
    disk_id: str
    options: str  # decoded option string k=v&k=v, as the device stores it
    event_id: str = "continuous"


@dataclass
class Recording:
    """One recording (Recording API, record/list.cgi): times are UTC ISO 8601, as listed."""

    recording_id: str
    disk_id: str
    start_time: str  # e.g. 2026-11-02T08:12:11Z
    stop_time: str = ""  # "" while recording
    event_id: str = "continuous"
    recording_type: str = "continuous"
    source: str = "1"
    options: str = ""  # the stream options of the profile that made it
    profile_id: int | None = None
    recording_group: str = ""  # the recording group it belongs to (Recording group API)


@dataclass
class ExternalDevice:
    dev_id: str
    description: str = ""
    serial_number: str = ""
    address: str = ""
    username: str = ""
    password: str = ""
    protocol: str = "rtspt"
    port: int = 0
    cert_validation: str = "off"
    events_enabled: bool = False


@dataclass
class ActionConfiguration:
    """An action configuration (action1 AddActionConfiguration): a template and its
    parameters (name -> value, in the order given)."""

    configuration_id: int
    template: str
    name: str = ""
    parameters: dict = field(default_factory=dict)


@dataclass
class ActionRule:
    """An action rule (action1 AddActionRule). A condition is {"topic": concrete topic
    expression with the prefixes tns1/tnsaxis, "message": the ItemFilter text or ""}."""

    rule_id: int
    name: str
    primary_action: int
    enabled: bool = True
    conditions: list = field(default_factory=list)
    start_event: dict | None = None
    activation_timeout: str | None = None
    failover_action: int | None = None


@dataclass
class ScheduledEvent:
    """A schedule (event1 AddScheduledEvent): its ICalendar text, lines joined with \\n."""

    event_id: str
    name: str
    schedule: str


@dataclass
class RecordingGroup:
    """A recording group (Recording group API, AXIS OS 12); durations in milliseconds."""

    group_id: str
    disk_id: str
    description: str = ""
    nice_name: str = ""
    retention_hours: int = 0  # 0 = unlimited
    stream_options: str = ""
    pre_duration: int = 0
    post_duration: int = 0


@dataclass
class User:
    name: str
    password: str
    role: str  # viewer, operator, admin


ROLE_RANK = {"anonymous": 0, "viewer": 1, "operator": 2, "admin": 3}


# Factory passwords of the simulated users. Not words: a client that masks its secrets in
# output (Ansible's no_log) would otherwise garble every word containing one ("pass" turns
# "passphrase" into "********phrase").
DEFAULT_PASSWORDS = {
    "root": "Sim-Root-4711",
    "operator": "Sim-Operator-4711",
    "viewer": "Sim-Viewer-4711",
}


def default_users() -> dict:
    return {
        name: User(name, DEFAULT_PASSWORDS[name], role)
        for name, role in (("root", "admin"), ("operator", "operator"), ("viewer", "viewer"))
    }


@dataclass
class Device:
    index: int
    port: int
    profile: str  # camera or recorder
    serial: str
    model: str  # ProdNbr, e.g. P3268-LVE or S3008
    full_name: str  # ProdFullName
    firmware: str
    auth_policy: str = "recommended"  # basic, digest, basic_digest, recommended
    users: dict = field(default_factory=default_users)
    disks: dict = field(default_factory=dict)  # disk_id -> Disk
    shares: dict = field(default_factory=dict)  # share_id -> Share
    profiles: dict = field(default_factory=dict)  # profile_id -> Profile
    external_devices: dict = field(default_factory=dict)  # id -> ExternalDevice
    recordings: dict = field(default_factory=dict)  # recording_id -> Recording
    # Event and action services (SOAP, /vapix/services) and the Recording group API
    action_configurations: dict = field(default_factory=dict)  # id -> ActionConfiguration
    action_rules: dict = field(default_factory=dict)  # id -> ActionRule
    scheduled_events: dict = field(default_factory=dict)  # event id -> ScheduledEvent
    recording_groups: dict = field(default_factory=dict)  # group id -> RecordingGroup
    next_configuration_id: int = 1
    next_rule_id: int = 1
    next_schedule_id: int = 1
    digital_inputs: int = 0  # Input.NbrOfInputs: event topic tns1:Device/tnsaxis:IO/Port
    virtual_inputs: int = 32  # tns1:Device/tnsaxis:IO/VirtualInput ports 1..N
    vmd_profiles: int = 1  # VMD4 profiles per video channel (Camera<N>Profile<M>)
    ca_certificates: list = field(default_factory=list)
    # Properties.LocalStorage.NbrOfContinuousRecordingProfiles: the capacity PER video channel
    max_profiles: int = 1
    firmware_key: str = DEFAULT_FIRMWARE  # the generation preset (firmware.FIRMWARES)
    sensors: int = 1  # video channels (ImageSource.NbrOfSources); camera=1..N
    max_shares: int = 10
    max_external_devices: int = 8
    next_profile_id: int = 1
    next_job_id: int = 1
    next_share_id: int = 35419
    params: dict = field(default_factory=dict)  # extra param.cgi values, "root."-less
    jobs: dict = field(default_factory=dict, repr=False)  # job_id -> Job (disk jobs)
    share_jobs: dict = field(default_factory=dict, repr=False)  # job_id -> Job (share tests)
    job_time_scale: float = 1.0
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, compare=False)

    @property
    def has_param_cgi(self) -> bool:
        return self.profile == CAMERA

    @property
    def fw(self) -> Firmware:
        return firmware_preset(self.firmware_key)

    @property
    def realm(self) -> str:
        return "AXIS_" + self.serial

    def now(self) -> float:
        return self.clock()

    def tick(self) -> None:
        """Apply the effects of every job that has ended by now (called before each request)."""
        now = self.now()
        for jobs in (self.jobs, self.share_jobs):
            for job in list(jobs.values()):
                if job.due(now):
                    job.finished = True
                    job.failed = job.fail_at is not None and not job.never_finish
                    if job.on_done is not None and not job.failed:
                        job.on_done()
                    if job.action not in ("sharetest",):
                        disk = self.disks.get(job.disk_id)
                        if disk is not None and disk.busy_job == job.job_id:
                            disk.busy_job = None

    def start_job(self, jobs: dict, action: str, disk_id: str, on_done=None, faults=None) -> Job:
        """Create a job; `faults` (a Faults object or None) may make it fail or hang."""
        job = Job(
            job_id=self.next_job_id,
            action=action,
            disk_id=disk_id,
            started_at=self.now(),
            duration=JOB_SECONDS.get(action, 1.0) * self.job_time_scale,
            on_done=on_done,
        )
        self.next_job_id += 1
        if faults is not None:
            faults.shape_job(job)
        jobs[job.job_id] = job
        return job

    def take_id(self, counter: str, taken) -> int:
        """The next id of a device-assigned counter (`next_rule_id`, ...), skipping ids in
        `taken`: a counter patched through the control endpoint must not overwrite an item."""
        number = getattr(self, counter)
        while number in taken:
            number += 1
        setattr(self, counter, number + 1)
        return number

    def to_dict(self) -> dict:
        """JSON-able state (no jobs, no clock): for the control endpoint and the state file."""
        data = {}
        for f in dataclasses.fields(self):
            if f.name in ("jobs", "share_jobs", "clock"):
                continue
            value = getattr(self, f.name)
            if isinstance(value, dict):
                value = {
                    str(k): (dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v) for k, v in value.items()
                }
            data[f.name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Device:
        kwargs = dict(data)
        for name, kind in COLLECTION_KINDS.items():
            items = kwargs.get(name, {})
            if name in INT_KEYED:
                kwargs[name] = {int(k): kind(**v) for k, v in items.items()}
            else:
                kwargs[name] = {k: kind(**v) for k, v in items.items()}
        return cls(**kwargs)


# Device's collections of dataclasses (state file, control endpoint) and those keyed by integers.
COLLECTION_KINDS = {
    "users": User,
    "disks": Disk,
    "shares": Share,
    "profiles": Profile,
    "external_devices": ExternalDevice,
    "recordings": Recording,
    "action_configurations": ActionConfiguration,
    "action_rules": ActionRule,
    "scheduled_events": ScheduledEvent,
    "recording_groups": RecordingGroup,
}
INT_KEYED = frozenset({"profiles", "action_configurations", "action_rules"})


GIB_KB = 1024 * 1024


# Camera identity per firmware generation: a model that ran that generation. A multi-sensor
# camera (sensors > 1) is a 4-sensor panoramic model whatever the firmware (docs/simulator.md).
CAMERA_MODELS = {
    "12.11": ("P3268-LVE", "AXIS P3268-LVE Dome Camera"),
    "9.80": ("P1448-LE", "AXIS P1448-LE Network Camera"),
    "5.51": ("P5512", "AXIS P5512 PTZ Dome Network Camera"),
}
MULTISENSOR_MODEL = ("P3719-PLE", "AXIS P3719-PLE Network Camera")


# The schedules a factory-new device has (event1 GetScheduledEvents): ids as public
# configurations name them, names and ICalendar the simulator's choice (docs/spec-choices/
# event-and-action-services.md). 1970-01-05 is a Monday, 1970-01-03 a Saturday.
PREDEFINED_SCHEDULES = (
    (
        "com.axis.schedules.office_hours",
        "Office hours",
        "DTSTART:19700105T080000\nDTEND:19700105T170000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    ),
    (
        "com.axis.schedules.after_hours",
        "After hours",
        "DTSTART:19700105T170000\nDTEND:19700106T080000\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    ),
    ("com.axis.schedules.weekdays", "Weekdays", "DTSTART:19700105T000000\nDTEND:19700110T000000\nRRULE:FREQ=WEEKLY"),
    ("com.axis.schedules.weekends", "Weekends", "DTSTART:19700103T000000\nDTEND:19700105T000000\nRRULE:FREQ=WEEKLY"),
)


def add_factory_events(dev: Device) -> None:
    """Factory state of the Event and action services: the predefined schedules, no rules."""
    if not dev.fw.has(WEB_SERVICE):
        return
    for event_id, name, ical in PREDEFINED_SCHEDULES:
        dev.scheduled_events[event_id] = ScheduledEvent(event_id, name, ical)


def make_camera(
    index: int, port: int, second_sd: bool = False, firmware_key: str = DEFAULT_FIRMWARE, sensors: int = 1
) -> Device:
    serial = "B8A44F%06X" % index
    preset = firmware_preset(firmware_key)
    model, full_name = MULTISENSOR_MODEL if sensors > 1 else CAMERA_MODELS[preset.key]
    dev = Device(
        index=index,
        port=port,
        profile=CAMERA,
        serial=serial,
        model=model,
        full_name=full_name,
        firmware=preset.version,
        firmware_key=preset.key,
        sensors=sensors,
    )
    encryption = DISK_PROPERTIES_FEATURE in preset.features
    # Factory state of a new camera: a 64 GB card as shipped (vfat, mounted, a little used),
    # the NetworkShare slot listed but disconnected until a share is bound.
    dev.disks["SD_DISK"] = Disk(
        "SD_DISK",
        "S0",
        "sd",
        "/dev/mmcblk0p1",
        total_kb=62 * GIB_KB,
        used_kb=120 * 1024,
        filesystem="vfat",
        encryption_supported=encryption,
        required_fs_supported=encryption,
    )
    groups = 1
    if second_sd:
        dev.disks["SD_DISK2"] = Disk(
            "SD_DISK2",
            "S1",
            "sd",
            "/dev/sd_disk2",
            total_kb=62 * GIB_KB,
            used_kb=0,
            filesystem="vfat",
            encryption_supported=encryption,
            required_fs_supported=encryption,
        )
        dev.max_profiles = 2
        groups = 2
    # Storage.S#.CleanupLevel of the share slot is 90 in every capture (the obsolete parameter's
    # default); AXIS OS 12 shows it in list.cgi while the share is disconnected.
    dev.disks["NetworkShare"] = Disk(
        "NetworkShare",
        "S%d" % groups,
        "share",
        "NetworkShare:/com/axis/NetworkShare/Device/0",
        total_kb=0,
        used_kb=0,
        present=False,
        filesystem="cifs",
        mounted=False,
        encryption_supported=False,
        required_fs_supported=False,
        wear=-1,
        temperature=-1,
        cleanup_level=90,
    )
    dev.digital_inputs = preset.camera_inputs
    add_factory_events(dev)
    return dev


def make_recorder(index: int, port: int, firmware_key: str = DEFAULT_FIRMWARE) -> Device:
    serial = "ACCC8E%06X" % index
    preset = firmware_preset(firmware_key)
    dev = Device(
        index=index,
        port=port,
        profile=RECORDER,
        serial=serial,
        model="S3008",
        full_name="AXIS S3008 Recorder",
        firmware=preset.version,
        firmware_key=preset.key,
        max_profiles=8,
    )
    encryption = DISK_PROPERTIES_FEATURE in preset.features
    # A recorder ships with its hard disk formatted ext4 and mounted (see docs/simulator.md).
    dev.disks["HDD_DISK"] = Disk(
        "HDD_DISK",
        "S0",
        "hdd",
        "/dev/sda1",
        total_kb=1900 * GIB_KB,
        used_kb=0,
        filesystem="ext4",
        cleanup_max_age=0,
        encryption_supported=encryption,
        required_fs_supported=encryption,
    )
    add_factory_events(dev)
    return dev


def make_device(profile: str, index: int, port: int) -> Device:
    if profile == RECORDER:
        return make_recorder(index, port)
    return make_camera(index, port)
