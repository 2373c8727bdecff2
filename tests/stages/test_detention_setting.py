"""The setting [coding] detentions_as_arrests: ACLED's rule by default (a state arrests, a
non-state group abducts), and the named non-state actors' detentions coded as Arrests when a
user lists them. The actors are invented."""
import json
import os
import subprocess
import sys
from pathlib import Path

from eventwire.config import load_settings
from eventwire.stages.classify import classify_incident
from eventwire.resources import load_resources
from eventwire.stages.event_lexicon import with_arresting_actors

RED_RIDGE = "The Red Ridge militia detained four shepherds near the dam on Sunday."
BLUE_LAKE = "The Blue Lake militia detained two traders at its checkpoint on Monday."
POLICE = "Police arrested three men accused of smuggling fuel in the port."


def _packaged():
    return load_resources().event_types  # built with the default settings


def _sub(text, lexicon):
    return classify_incident(text, lexicon)[0].sub_event_type


def test_default_is_acleds_rule():
    assert load_settings().detentions_as_arrests == ()
    lexicon = _packaged()
    assert _sub(RED_RIDGE, lexicon) == "Abduction/forced disappearance"
    assert _sub(POLICE, lexicon) == "Arrests"


def test_named_non_state_actors_arrest_and_the_others_still_abduct():
    lexicon = with_arresting_actors(_packaged(), ("Red Ridge militia",))
    assert _sub(RED_RIDGE, lexicon) == "Arrests"
    assert _sub(BLUE_LAKE, lexicon) == "Abduction/forced disappearance"
    assert _sub(POLICE, lexicon) == "Arrests"
    # whole words in any case: "red ridge" is named, "Red Ridgeway" is not
    assert _sub("Fighters of the RED RIDGE MILITIA detained a farmer.", lexicon) == "Arrests"
    assert _sub(RED_RIDGE, with_arresting_actors(_packaged(), ("Red Ridgeway militia",))) == "Abduction/forced disappearance"


def test_the_setting_is_read_from_the_override_file(tmp_path, monkeypatch):
    override = tmp_path / "eventwire.toml"
    override.write_text('[coding]\ndetentions_as_arrests = ["Red Ridge militia"]\n', encoding="utf-8")
    assert load_settings(str(override)).detentions_as_arrests == ("Red Ridge militia",)
    monkeypatch.setenv("EVENTWIRE_CONFIG", str(override))
    assert load_settings().detentions_as_arrests == ("Red Ridge militia",)


def test_extract_follows_the_setting_end_to_end(tmp_path):
    doc = tmp_path / "report.txt"
    doc.write_text(RED_RIDGE.replace("near the dam", "near the dam outside Raqqa"), encoding="utf-8")
    override = tmp_path / "eventwire.toml"
    override.write_text('[coding]\ndetentions_as_arrests = ["Red Ridge militia"]\n', encoding="utf-8")

    def sub_event(env_extra):
        env = dict(os.environ, **env_extra)  # a process of its own: settings load once per process
        eventwire = Path(sys.executable).with_name("eventwire")
        out = subprocess.run([str(eventwire), "extract", str(doc), "-o", "-"],
                             capture_output=True, text=True, env=env, check=True).stdout
        return [json.loads(line)["sub_event_type"] for line in out.splitlines() if line.startswith("{")]

    assert sub_event({"EVENTWIRE_CONFIG": ""}) == ["Abduction/forced disappearance"]
    assert sub_event({"EVENTWIRE_CONFIG": str(override)}) == ["Arrests"]
