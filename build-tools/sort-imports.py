#!/usr/bin/env python3
"""Sorts the import block of Java files the way build-tools/checkstyle.xml wants it: static imports first,
then the others, each group in ASCII order, one blank line between the groups. Usage: sort-imports.py FILE..."""
import re
import sys

for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    idx = [i for i, l in enumerate(lines) if re.match(r"import (static )?[\w.]+(\.\*)?;\s*$", l)]
    if not idx:
        continue
    first, last = idx[0], idx[-1]
    block = lines[first:last + 1]
    if any(l.strip() and not l.startswith("import ") for l in block):
        continue  # comments or code between imports: leave the file for a person
    imports = sorted(set(l.strip() for l in block if l.strip()))
    statics = sorted((l for l in imports if l.startswith("import static ")), key=lambda l: l[len("import static "):-1])
    others = sorted((l for l in imports if not l.startswith("import static ")), key=lambda l: l[len("import "):-1])
    new = statics + ([""] if statics and others else []) + others
    if new != block:
        lines[first:last + 1] = new
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
