"""The shipped policy packs (YAML data, read by kefu.engine.policy)."""
