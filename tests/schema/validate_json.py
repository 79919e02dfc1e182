#!/usr/bin/python3
"""Validates JSON documents against a JSON Schema (draft 2020-12) from data/schema/.

Usage: validate_json.py SCHEMA.json FILE.json...   ("-" reads one document from stdin)
Prints one line per problem with its JSON pointer; exits 1 if any document is invalid.
Uses Debian's python3-jsonschema, installed by setup.sh.
"""
import json
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
    validator = jsonschema.Draft202012Validator(schema)
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
