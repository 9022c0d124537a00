"""The only functions that change the policy pack. `loading` (the pack file as a version) sits below
`engine.policy.api`, which loads the shipped pack into an empty database; `values` (a group value, a
subsidiary's override) sits above it."""

from kefu.engine.policy.actions import loading, values
from kefu.engine.policy.actions.loading import BASELINE, ensure_loaded, load_pack
from kefu.engine.policy.actions.values import set_override, set_value

__all__ = ["BASELINE", "ensure_loaded", "load_pack", "loading", "set_override", "set_value", "values"]
