#!/usr/bin/env python3
"""Wraps Java lines longer than the style's 120 columns: Javadoc and block comments at word boundaries, code at
a comma, an operator or a method call outside string literals (continuation indented 4 more), and, when nothing
else fits, a string literal split into two joined by '+'. Usage: wrap-long-lines.py FILE... (rewrites in place).
Review the result: it is a mechanical helper, not a formatter."""
import re
import sys

MAX = 120


def code_breaks(line):
    """Positions where a code line may break (the break goes before the character at the position)."""
    out = []
    in_str = False
    in_chr = False
    i = 0
    while i < len(line):
        c = line[i]
        if in_str:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                in_str = False
        elif in_chr:
            if c == '\\':
                i += 2
                continue
            if c == "'":
                in_chr = False
        else:
            if c == '"':
                in_str = True
            elif c == "'":
                in_chr = True
            elif line.startswith(', ', i):
                out.append(i + 2)
            elif line.startswith(' + ', i) or line.startswith(' && ', i) or line.startswith(' || ', i) \
                    or line.startswith(' ? ', i) or line.startswith(' : ', i) or line.startswith(' -> ', i):
                out.append(i + 1)
            elif c == '.' and i > 0 and line[i - 1] == ')':
                out.append(i)
            elif line.startswith('//', i):
                break
        i += 1
    return out


def string_space(line, limit):
    """A position inside a string literal, at a space, at or before limit, or -1."""
    in_str = False
    best = -1
    i = 0
    while i < len(line) and i <= limit:
        c = line[i]
        if in_str:
            if c == '\\':
                i += 2
                continue
            if c == '"':
                in_str = False
            elif c == ' ' and i < limit:
                best = i + 1
        elif c == '"':
            in_str = True
        i += 1
    return best


def wrap_code(line):
    indent = len(line) - len(line.lstrip())
    cont = ' ' * (indent + 4)
    result = []
    while len(line) > MAX:
        breaks = [b for b in code_breaks(line) if indent + 8 < b <= MAX - 1]
        if breaks:
            b = breaks[-1]
            head, tail = line[:b].rstrip(), line[b:].lstrip()
        else:
            b = string_space(line, MAX - 3)
            if b < 0:
                break
            head, tail = line[:b] + '"', '+ "' + line[b:]
        result.append(head)
        line = cont + tail
        indent = len(cont) - 4
    result.append(line)
    return result


def wrap_comment(line):
    m = re.match(r'^(\s*)(/\*\*|\*|//)\s?(.*?)(\s*\*/)?$', line)
    if not m:
        return [line]
    indent, mark, text, end = m.groups()
    if mark == '/**':
        words = text.split(' ')
        lines = [indent + '/**']
        prefix = indent + ' * '
    else:
        words = text.split(' ')
        lines = []
        prefix = indent + mark + ' '
    cur = prefix
    for w in words:
        if len(cur) + len(w) > MAX and cur.strip() not in ('*', '//'):
            lines.append(cur.rstrip())
            cur = prefix
        cur += w + ' '
    lines.append(cur.rstrip())
    if end or mark == '/**':
        lines.append(indent + ' */')
    return lines


for path in sys.argv[1:]:
    with open(path, encoding='utf-8') as f:
        src = f.read().split('\n')
    out = []
    changed = False
    for line in src:
        if len(line) <= MAX or re.match(r'^\s*(package|import) ', line):
            out.append(line)
            continue
        stripped = line.lstrip()
        if stripped.startswith(('/**', '* ', '*', '//')) and not stripped.startswith('*/'):
            new = wrap_comment(line)
        else:
            new = wrap_code(line)
        changed |= new != [line]
        out.extend(new)
    if changed:
        with open(path, 'w', encoding='utf-8') as f:
            f.write('\n'.join(out))
