#!/usr/bin/python3
"""Validates JSON documents against a JSON Schema (draft 2020-12) from data/schema/.

Usage: validate_json.py SCHEMA.json FILE.json...   ("-" reads one document from stdin)
Prints one line per problem with its JSON pointer; exits 1 if any document is invalid.
Uses Debian's python3-jsonschema, installed by setup.sh.
"""
import json
import os
import sys

import jsonschema


def pointer(path):
    return "/" + "/".join(str(p) for p in path)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    # Sibling schemas by $id, so a relative "$ref": "hardware-profile.schema.json" (as in
    # target.schema.json) resolves offline.
    store = {}
    folder = os.path.dirname(os.path.abspath(argv[1]))
    for sibling in sorted(os.listdir(folder)):
        if sibling.endswith(".json"):
            with open(os.path.join(folder, sibling), encoding="utf-8") as f:
                other = json.load(f)
            store[other.get("$id", sibling)] = other
            store[sibling] = other
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    failed = False
    for name in argv[2:]:
        if name == "-":
            document = json.load(sys.stdin)
        else:
            with open(name, encoding="utf-8") as f:
                document = json.load(f)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
            print(f"{name}: {pointer(error.path)}: {error.message}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
