# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stream options of continuous recording profiles: the names and values a device accepts.

A device silently ignores an option name it does not know (VAPIX conventions: unknown arguments are ignored), so a
misspelled option would give a recording with the camera's defaults and no error. Every option
is therefore checked here, against the media.cgi table (Media stream over HTTP), the text overlay
options of a stream (docs/spec-choices/shares-recording.md) and the options the S3008 recorder
consumes itself (AXIS S3008 Recorder integration notes), before anything is sent.

Options travel as one percent-encoded `options=k=v&k=v` argument and come back from
listconfiguration.cgi as the decoded string, so they are compared as key/value pairs.
"""

import difflib
import re

from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import InputError, VapixError

RESOLUTION_PATTERN = re.compile(r"^[1-9][0-9]*x[1-9][0-9]*$")
# `&` and `=` separate the pairs of the options string; a value cannot carry them.
FORBIDDEN_VALUE_CHARS = ("&", "=")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")

# The recorder's own option naming the external IP device to pull from; it has its own module
# option (`device`) because it is identity, not a stream setting.
DEVICE_OPTION = "device"

# The video channel a profile records (media.cgi `camera`, 1-based). On a multi-sensor camera
# the profiles of the sensors share disk and event id and differ only in it, so it is part of
# a profile's identity. A profile without it records the device's default video source, the
# first channel (media.cgi: "If omitted the default video source is used"), so it is the same
# profile as one with camera=1 (docs/spec-choices/multisensor.md).
CAMERA_OPTION = "camera"
DEFAULT_CAMERA = "1"


class OptionSpec:
    """How one option's value is checked and written canonically."""

    def __init__(self, kind, values=None, minimum=None, maximum=None, source="media.cgi", word=None):
        self.kind = kind  # flag (0/1), enum, int, resolution, string, text, camera, zstrength
        self.values = values or ()
        self.minimum = minimum
        self.maximum = maximum
        self.source = source
        self.word = word  # the one word an integer option also takes (camera=quad)

    def describe(self):
        if self.kind == "flag":
            return "0 or 1 (true/false)"
        if self.kind == "enum":
            return "one of %s" % ", ".join(self.values)
        if self.kind == "int":
            if self.maximum is not None:
                return "an integer from %s to %s" % (self.minimum, self.maximum)
            return "an integer of at least %s" % self.minimum
        if self.kind == "resolution":
            return "WIDTHxHEIGHT in pixels, for example 1920x1080"
        if self.kind == "camera":
            return "a video source number from 1, or quad"
        if self.kind == "zstrength":
            return "off or an integer strength, for example 10, 20 or 30"
        if self.kind == "text":
            return "a text of one line, for example Lobby"
        return "a non-empty string"


def _flag():
    return OptionSpec("flag")


def _enum(*values):
    return OptionSpec("enum", values)


def _int(minimum=0, maximum=None, source="media.cgi"):
    return OptionSpec("int", minimum=minimum, maximum=maximum, source=source)


# media.cgi URL options (Media stream over HTTP), in the table's order.
MEDIA_OPTIONS = {
    "audio": _flag(),
    "audiobitrate": _int(),
    "audiochannel": _int(1),
    "audiocodec": _enum("aac", "opus"),
    "audiodeviceid": _int(0),
    "audioinputid": _int(0),
    "audionbrofchannels": _enum("1", "2"),
    "audiosamplerate": _int(),
    "camera": OptionSpec("camera", minimum=1, word="quad"),
    "container": _enum("matroska", "mp4"),
    "compression": _int(0, 100),
    "fps": _int(0),
    "h264profile": _enum("high", "main", "baseline"),
    "mirror": _flag(),
    "color": _flag(),
    "resolution": OptionSpec("resolution"),
    "rotation": _enum("0", "90", "180", "270"),
    "streamprofile": OptionSpec("string"),
    "squarepixel": _flag(),
    "video": _flag(),
    "videoabrmaxbitrate": _int(),
    "videoabrretentiontime": _int(),
    "videoabrtargetbitrate": _int(),
    "videobitratemode": _enum("abr", "mbr", "vbr"),
    "videobitratepriority": _enum("none", "framerate", "quality", "fullframerate"),
    "videocodec": _enum("h264", "h265"),
    "videoframeskipmode": _enum("drop", "empty"),
    "videomaxbitrate": _int(),
    "videozfpsmode": _enum("fixed", "dynamic"),
    "videozgopmode": _enum("fixed", "dynamic"),
    "videozmaxgoplength": _int(1),
    # The Media stream over HTTP table lists "off / Inter" for it, cut short: read as off or an integer.
    "videozstrength": OptionSpec("zstrength", minimum=0, word="off"),
}

# Options the recorder reads itself before requesting the stream (AXIS S3008 Recorder); the others it
# passes on to the camera. `videokeyframeinterval` is the only one media.cgi does not list.
RECORDER_OPTIONS = {
    "videokeyframeinterval": _int(1, source="recorder"),
}

# The text overlay of a stream: the URL options of Image.I#.Text (TextEnabled, String, Color, BGColor,
# Position, ClockEnabled, DateEnabled), which a device takes in the options of a recording too. The
# media.cgi table of the spec does not list them; names and values as the Axis streaming options name
# them, defaults as real devices list them (Image.I0.Text.Color=white, BGColor=black, Position=top).
OVERLAY_OPTIONS = {
    "text": OptionSpec("flag", source="text overlay"),
    "textstring": OptionSpec("text", source="text overlay"),
    "textcolor": OptionSpec("enum", ("black", "white"), source="text overlay"),
    "textbackgroundcolor": OptionSpec(
        "enum", ("black", "white", "transparent", "semitransparent"), source="text overlay"
    ),
    "textpos": OptionSpec("enum", ("top", "bottom"), source="text overlay"),
    "clock": OptionSpec("flag", source="text overlay"),
    "date": OptionSpec("flag", source="text overlay"),
}

STREAM_OPTIONS = dict(MEDIA_OPTIONS)
STREAM_OPTIONS.update(OVERLAY_OPTIONS)
STREAM_OPTIONS.update(RECORDER_OPTIONS)

# Options whose defaults the recorder fills in when a profile leaves them out (AXIS S3008 Recorder): those
# defaults may not suit the camera, so Axis recommends always setting them.
RECORDER_DEFAULTS = (
    ("resolution", "1920x1080"),
    ("fps", "30"),
    ("videokeyframeinterval", "64"),
    ("audio", "0"),
    ("video", "1"),
)

# media.cgi: audiochannel "can not be used together with audiodeviceid and audioinputid".
EXCLUSIVE_GROUPS = ((("audiochannel",), ("audiodeviceid", "audioinputid")),)


def suggest(word, candidates):
    """The closest candidate to a misspelled word, or None."""
    lowered = str(word).lower()
    if lowered in candidates:
        return lowered
    # Swapped letters are the commonest typo (resolutoin, h246): an anagram wins over a
    # candidate difflib rates a little higher.
    anagrams = [c for c in candidates if sorted(c) == sorted(lowered)]
    if len(anagrams) == 1:
        return anagrams[0]
    found = difflib.get_close_matches(lowered, list(candidates), n=1, cutoff=0.6)
    return found[0] if found else None


def _scalar_text(name, value):
    """A YAML scalar as the text the device would store; bools only where 0/1 is meant."""
    spec = STREAM_OPTIONS[name]
    if isinstance(value, bool):
        if spec.kind != "flag":
            raise InputError(
                None,
                "stream_options.%s=%s: a boolean is not valid here; it must be %s" % (name, value, spec.describe()),
            )
        return "1" if value else "0"
    if isinstance(value, float):
        if value != int(value):
            raise InputError(None, "stream_options.%s=%s: it must be %s" % (name, value, spec.describe()))
        value = int(value)
    if isinstance(value, (dict, list)):
        raise InputError(
            None,
            "stream_options.%s: a single value is needed, not a %s; it must be %s"
            % (name, type(value).__name__, spec.describe()),
        )
    return str(value).strip()


def canonical_value(name, value):
    """The canonical text of a valid value; raises InputError naming the option otherwise."""
    spec = STREAM_OPTIONS[name]
    text = _scalar_text(name, value)
    bad = "stream_options.%s=%r is not valid: it must be %s" % (name, text, spec.describe())
    if text == "":
        raise InputError(None, "stream_options.%s is empty: give %s, or leave the option out" % (name, spec.describe()))
    if any(char in text for char in FORBIDDEN_VALUE_CHARS):
        raise InputError(
            None,
            "stream_options.%s=%r: '&' and '=' cannot be part of a value (they separate the "
            "options the device stores)" % (name, text),
        )
    if spec.kind == "flag":
        lowered = text.lower()
        if lowered in ("1", "true", "yes", "on"):
            return "1"
        if lowered in ("0", "false", "no", "off"):
            return "0"
        raise InputError(None, bad)
    if spec.kind == "enum":
        if text in spec.values:
            return text
        close = suggest(text, spec.values)
        raise InputError(None, bad + (" (did you mean %r?)" % close if close else ""))
    if spec.kind in ("int", "camera", "zstrength"):
        if spec.word is not None and text.lower() == spec.word:
            return spec.word
        number = _parse_int(text)
        if number is None or number < spec.minimum or (spec.maximum is not None and number > spec.maximum):
            raise InputError(None, bad)
        return str(number)
    if spec.kind == "resolution":
        lowered = text.lower()
        if not RESOLUTION_PATTERN.match(lowered):
            raise InputError(None, bad)
        return lowered
    if spec.kind == "text" and CONTROL_CHARS.search(text):
        # a line break or other control character would end up in the overlay and in the options
        # string the device lists: refused like '&' and '='
        raise InputError(
            None,
            "stream_options.%s=%r: control characters (line breaks, tabs) cannot be part of %s"
            % (name, text, spec.describe()),
        )
    return text


def _parse_int(text):
    if not re.match(r"^[0-9]+$", text):
        return None
    return int(text)


def validate_stream_options(options):
    """User `stream_options` -> {name: canonical text}, or InputError before any request.

    Names must be the device's exact (lower-case) names: an unknown name is an error with the
    closest valid name suggested, because a device would silently ignore it.
    """
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise InputError(
            None,
            "stream_options must be a dictionary of option names and values, "
            "for example {resolution: 1920x1080, fps: 30}",
        )
    result = {}
    for raw_name, value in options.items():
        name = str(raw_name)
        if name == DEVICE_OPTION or name.lower() == DEVICE_OPTION:
            raise InputError(
                None,
                "stream_options.%s: give the external device with the module option "
                "'device', not as a stream option" % name,
            )
        if name not in STREAM_OPTIONS:
            close = suggest(name, STREAM_OPTIONS)
            hint = (" (did you mean %r?)" % close) if close else ""
            raise InputError(
                None,
                "stream_options: unknown option %r%s. A device silently ignores options it "
                "does not know, so nothing was sent. Valid options: %s"
                % (name, hint, ", ".join(sorted(STREAM_OPTIONS))),
            )
        if value is None:
            raise InputError(
                None,
                "stream_options.%s has no value: give %s, or leave the option out"
                % (name, STREAM_OPTIONS[name].describe()),
            )
        result[name] = canonical_value(name, value)
    for first, second in EXCLUSIVE_GROUPS:
        used_first = [n for n in first if n in result]
        used_second = [n for n in second if n in result]
        if used_first and used_second:
            raise InputError(
                None,
                "stream_options: %s cannot be used together with %s (media.cgi)"
                % (" and ".join(used_first), " and ".join(used_second)),
            )
    return result


def parse_options(text):
    """A device's decoded options string `k=v&k=v` -> [(key, value)] in stored order."""
    pairs = []
    for item in (text or "").split("&"):
        if item:
            key, _sep, value = item.partition("=")
            pairs.append((key.strip(), value))
    return pairs


def comparable(options):
    """{name: value} with known options canonicalised, so '030' and '30' compare equal.

    Values the device stores that would not pass validation are kept as they are: they differ
    from any valid desired value, which is the right answer.
    """
    result = {}
    for name, value in options.items():
        if name in STREAM_OPTIONS:
            try:
                value = canonical_value(name, value)
            except VapixError:  # an invalid stored value is compared raw; not an error here
                pass
        result[name] = value
    return result


def format_options(device, options):
    """The `options` argument: `device=<id>` first (recorders), then the stream options in order."""
    pairs = []
    if device:
        pairs.append("%s=%s" % (DEVICE_OPTION, device))
    pairs.extend("%s=%s" % (name, value) for name, value in options.items())
    return "&".join(pairs)


def differences(current, desired):
    """Human text of what differs between two option dicts, for step details and diffs."""
    changes = []
    for name in sorted(set(current) | set(desired)):
        old, new = current.get(name), desired.get(name)
        if old == new:
            continue
        if old is None:
            changes.append("%s added (%s)" % (name, new))
        elif new is None:
            changes.append("%s dropped (was %s)" % (name, old))
        else:
            changes.append("%s %s -> %s" % (name, old, new))
    return ", ".join(changes)


def camera_of(options):
    """The canonical video channel of a profile's options: its `camera`, else the first channel."""
    for name, value in (options or {}).items():
        if str(name).lower() == CAMERA_OPTION:
            try:
                return canonical_value(CAMERA_OPTION, value)
            except VapixError:  # an invalid stored value is its own channel, never the default
                return str(value).strip()
    return DEFAULT_CAMERA


def without_camera(options):
    """The options apart from the channel: what is compared once the identity matched."""
    return dict((k, v) for k, v in (options or {}).items() if str(k).lower() != CAMERA_OPTION)


def camera_value(camera):
    """A channel for output: an integer where it is a number (2), else the device's text (quad)."""
    return int(camera) if str(camera).isdigit() else camera
