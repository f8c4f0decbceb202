# Copyright (c) 2026, vapix.edge_storage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stream option validation: names and values from the spec's tables, checked before sending."""

import os
import re

import pytest
from ansible_collections.vapix.edge_storage.plugins.module_utils._errors import VapixError
from ansible_collections.vapix.edge_storage.plugins.module_utils._stream_options import (
    STREAM_OPTIONS,
    comparable,
    differences,
    format_options,
    parse_options,
    suggest,
    validate_stream_options,
)

# Media stream over HTTP (media.cgi URL options) and the AXIS S3008 Recorder (its own stream options).
SEED_004_NAMES = {
    "audio",
    "audiobitrate",
    "audiochannel",
    "audiocodec",
    "audiodeviceid",
    "audioinputid",
    "audionbrofchannels",
    "audiosamplerate",
    "camera",
    "container",
    "compression",
    "fps",
    "h264profile",
    "mirror",
    "color",
    "resolution",
    "rotation",
    "streamprofile",
    "squarepixel",
    "video",
    "videoabrmaxbitrate",
    "videoabrretentiontime",
    "videoabrtargetbitrate",
    "videobitratemode",
    "videobitratepriority",
    "videocodec",
    "videoframeskipmode",
    "videomaxbitrate",
    "videozfpsmode",
    "videozgopmode",
    "videozmaxgoplength",
    "videozstrength",
}
SEED_000_NAMES = {"resolution", "fps", "videokeyframeinterval", "audio", "video"}
# The text overlay options, which the media.cgi table leaves out (docs/spec-choices/shares-recording.md).
OVERLAY_NAMES = {"text", "textstring", "textcolor", "textbackgroundcolor", "textpos", "clock", "date"}
CAPTURES = os.path.join(os.environ.get("VAPIX_REAL_CAPTURES", "/work/shared/real-captures"))


def error_of(options):
    with pytest.raises(VapixError) as caught:
        validate_stream_options(options)
    assert caught.value.kind == "input"
    return str(caught.value)


def test_tables_hold_exactly_the_spec_names():
    # `device` is the recorder's too, but it is its own module option.
    assert set(STREAM_OPTIONS) == SEED_004_NAMES | SEED_000_NAMES | OVERLAY_NAMES


def test_text_overlay_options_are_declarable_and_checked():
    result = validate_stream_options(
        {
            "text": True,
            "textstring": " Lobby {{TODO}} {#2} %F ",
            "textcolor": "white",
            "textbackgroundcolor": "semitransparent",
            "textpos": "bottom",
            "clock": "yes",
            "date": 0,
        }
    )
    assert result == {
        "text": "1",
        "textstring": "Lobby {{TODO}} {#2} %F",
        "textcolor": "white",
        "textbackgroundcolor": "semitransparent",
        "textpos": "bottom",
        "clock": "1",
        "date": "0",
    }
    assert "textcolor='red' is not valid: it must be one of black, white" in error_of({"textcolor": "red"})
    assert "it must be one of black, white, transparent, semitransparent" in error_of({"textbackgroundcolor": "grey"})
    assert "textpos='middle' is not valid: it must be one of top, bottom" in error_of({"textpos": "middle"})
    assert "text='2' is not valid: it must be 0 or 1" in error_of({"text": 2})
    assert "control characters" in error_of({"textstring": "Lobby\nDoor"})
    assert "'&' and '=' cannot be part of a value" in error_of({"textstring": "A&B"})
    assert "did you mean 'textpos'?" in error_of({"textposition": "top"})


@pytest.mark.skipif(not os.path.isdir(CAPTURES), reason="real captures are not on this machine (CI has them)")
@pytest.mark.parametrize("folder", ["p5512_5.51.7", "companion-bullet-le_9.80.2.2"])
def test_the_overlay_defaults_real_devices_list_are_valid_values(folder):
    # Image.I0.Text.* of a full param.cgi?action=list: the stream options' defaults
    text = open(os.path.join(CAPTURES, folder, "param_list.txt")).read()
    found = dict(re.findall(r"^root\.Image\.I0\.Text\.(Color|BGColor|Position)=(.*)$", text, re.M))
    assert set(found) == {"Color", "BGColor", "Position"}
    options = {"textcolor": found["Color"], "textbackgroundcolor": found["BGColor"], "textpos": found["Position"]}
    assert validate_stream_options(options) == options


def test_values_are_canonicalised():
    result = validate_stream_options(
        {
            "resolution": "1920X1080",
            "fps": 25,
            "audio": False,
            "video": "yes",
            "compression": "030",
            "videocodec": "h265",
            "videozstrength": "OFF",
            "camera": "quad",
            "rotation": 180,
            "videokeyframeinterval": 64.0,
            "streamprofile": " Quality ",
        }
    )
    assert result == {
        "resolution": "1920x1080",
        "fps": "25",
        "audio": "0",
        "video": "1",
        "compression": "30",
        "videocodec": "h265",
        "videozstrength": "off",
        "camera": "quad",
        "rotation": "180",
        "videokeyframeinterval": "64",
        "streamprofile": "Quality",
    }
    assert list(result)[:3] == ["resolution", "fps", "audio"]  # the user's order is kept for sending


@pytest.mark.parametrize(
    "typo,meant",
    [
        ("resolutoin", "resolution"),
        ("FPS", "fps"),
        ("videocodex", "videocodec"),
        ("compresion", "compression"),
        ("videokeyframinterval", "videokeyframeinterval"),
    ],
)
def test_misspelled_names_are_refused_with_the_closest_name(typo, meant):
    message = error_of({typo: "1", "fps": 30})
    assert "unknown option %r (did you mean %r?)" % (typo, meant) in message
    assert "silently ignores" in message
    assert "videozstrength" in message  # the valid names are listed


def test_unrelated_name_gets_no_suggestion():
    message = error_of({"zzzz": 1})
    assert "unknown option 'zzzz'." in message
    assert "did you mean" not in message


def test_device_is_not_a_stream_option():
    assert "module option 'device'" in error_of({"device": "cam1"})
    assert "module option 'device'" in error_of({"Device": "cam1"})


@pytest.mark.parametrize(
    "options,expected",
    [
        ({"videocodec": "h246"}, "videocodec='h246' is not valid: it must be one of h264, h265 (did you mean 'h264'?)"),
        ({"compression": 101}, "compression='101' is not valid: it must be an integer from 0 to 100"),
        ({"fps": -1}, "fps='-1' is not valid"),
        ({"fps": "thirty"}, "fps='thirty' is not valid: it must be an integer of at least 0"),
        ({"fps": 12.5}, "fps=12.5: it must be an integer"),
        ({"resolution": "1080p"}, "resolution='1080p' is not valid: it must be WIDTHxHEIGHT"),
        ({"audio": 2}, "audio='2' is not valid: it must be 0 or 1"),
        ({"fps": True}, "fps=True: a boolean is not valid here"),
        ({"rotation": 45}, "rotation='45' is not valid: it must be one of 0, 90, 180, 270"),
        ({"camera": 0}, "camera='0' is not valid"),
        ({"videozstrength": "max"}, "videozstrength='max' is not valid: it must be off or an integer"),
        ({"streamprofile": "a&b"}, "'&' and '=' cannot be part of a value"),
        ({"streamprofile": "a=b"}, "'&' and '=' cannot be part of a value"),
        ({"resolution": ""}, "stream_options.resolution is empty"),
        ({"resolution": None}, "stream_options.resolution has no value"),
        ({"fps": [1, 2]}, "a single value is needed, not a list"),
    ],
)
def test_bad_values_name_the_option_and_the_allowed_values(options, expected):
    assert expected in error_of(options)


def test_mutually_exclusive_audio_sources():
    assert "audiochannel cannot be used together with audiodeviceid" in error_of(
        {"audiochannel": 1, "audiodeviceid": 0}
    )
    both = validate_stream_options({"audiodeviceid": 0, "audioinputid": 1})
    assert both == {"audiodeviceid": "0", "audioinputid": "1"}


def test_not_a_dict_and_empty():
    assert "must be a dictionary" in error_of("fps=30")
    assert validate_stream_options(None) == {}
    assert validate_stream_options({}) == {}


def test_option_strings_round_trip_and_compare_as_pairs():
    text = format_options("cam1", {"resolution": "1920x1080", "fps": "30"})
    assert text == "device=cam1&resolution=1920x1080&fps=30"
    assert parse_options(text) == [("device", "cam1"), ("resolution", "1920x1080"), ("fps", "30")]
    assert format_options(None, {"fps": "30"}) == "fps=30"
    assert parse_options("") == [] and parse_options(None) == []
    # order and formatting of numbers do not matter; an invalid stored value stays raw
    stored = dict(parse_options("fps=030&resolution=1920x1080&compression=abc"))
    assert comparable(stored) == {"fps": "30", "resolution": "1920x1080", "compression": "abc"}
    assert comparable({"fps": "30", "resolution": "1920x1080"}) == validate_stream_options(
        {"resolution": "1920x1080", "fps": 30}
    )


def test_differences_text():
    assert (
        differences({"fps": "15", "audio": "1"}, {"fps": "30", "videocodec": "h264"})
        == "audio dropped (was 1), fps 15 -> 30, videocodec added (h264)"
    )
    assert differences({"fps": "15"}, {"fps": "15"}) == ""


def test_suggest_prefers_swapped_letters():
    assert suggest("h246", ("h264", "h265")) == "h264"
    assert suggest("quad", ("quad",)) == "quad"
    assert suggest("nothing-like", ("fps",)) is None
