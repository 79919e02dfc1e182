#!/usr/bin/env python3
"""Merges a JSON overrides file into a JSON config (written by edgeplan).

Usage: python3 apply_overrides.py OVERRIDES.json CONFIG.json
Objects merge key by key; any other value replaces the one in CONFIG.json. The
original is kept as CONFIG.json.orig the first time.
"""
import json
import os
import shutil
import sys


def merge(base, overrides):
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merge(base[key], value)
        else:
            base[key] = value
    return base


def main():
    overrides_path, config_path = sys.argv[1], sys.argv[2]
    with open(overrides_path, encoding="utf-8") as f:
        overrides = json.load(f)
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    if not os.path.exists(config_path + ".orig"):
        shutil.copyfile(config_path, config_path + ".orig")
    overrides.pop("_comment", None)
    with open(config_path, "w", encoding="utf-8") as f:
        json.dump(merge(config, overrides), f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
