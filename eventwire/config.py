"""Settings: the packaged defaults.toml, overridden by the file $EVENTWIRE_CONFIG names."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import resources as importlib_resources


@dataclass(frozen=True)
class Settings:
    """Tunable numbers the stages receive; see defaults.toml for what each means."""

    signal_threshold: float
    max_seconds: float = 60.0  # a document's time budget, for reading and for extracting ...
    seconds_per_mib: float = 60.0  # ... plus this much per MiB of its text (budget.seconds_for)
    max_text_chars: int = 4_000_000  # the longest article text extract codes
    # non-state actors whose detentions are coded Arrests, not Abduction/forced disappearance
    detentions_as_arrests: tuple[str, ...] = ()
    toll_ceiling: int = 500  # an event's deaths above this need a sentence telling that toll as the incident's


def load_settings(path: str | None = None) -> Settings:
    """Read the defaults, then the override file if one is given or configured."""
    data = tomllib.loads(importlib_resources.files("eventwire").joinpath("defaults.toml").read_text("utf-8"))
    override = path or os.environ.get("EVENTWIRE_CONFIG")
    if override:
        with open(override, "rb") as fh:
            for section, values in tomllib.load(fh).items():
                data.setdefault(section, {}).update(values)
    budget, coding = data.get("budget", {}), data.get("coding", {})
    incidents = data.get("incidents", {})
    return Settings(signal_threshold=float(data["extract"]["signal_threshold"]),
                    max_seconds=float(budget.get("max_seconds", Settings.max_seconds)),
                    seconds_per_mib=float(budget.get("seconds_per_mib", Settings.seconds_per_mib)),
                    max_text_chars=int(budget.get("max_text_chars", Settings.max_text_chars)),
                    detentions_as_arrests=tuple(str(n) for n in coding.get("detentions_as_arrests", ())),
                    toll_ceiling=int(incidents.get("toll_ceiling", Settings.toll_ceiling)))
