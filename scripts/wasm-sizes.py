#!/usr/bin/env python3
"""Lists the largest functions of the core modules inside a wasm component (or module).

Usage: scripts/wasm-sizes.py FILE.wasm [TOP]   — needs the `name` section (not stripped with
--strip-all; the wasm-release profile keeps it). Groups by demangled-ish crate prefix too.
"""
import re
import sys
from collections import Counter


def leb(data, pos):
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, pos


def name(data, pos):
    length, pos = leb(data, pos)
    return data[pos:pos + length].decode("utf-8", "replace"), pos + length


def sections(data):
    pos = 8
    while pos < len(data):
        sid = data[pos]
        size, pos = leb(data, pos + 1)
        yield sid, data[pos:pos + size]
        pos += size


def core_modules(data):
    if data[4:8] == b"\x01\x00\x00\x00":
        yield data
        return
    for sid, body in sections(data):
        if sid == 1 and body[:4] == b"\x00asm":  # core module
            yield body
        elif sid == 4 and body[:4] == b"\x00asm":  # nested component
            yield from core_modules(body)


def function_sizes(module):
    imported = 0
    bodies = []
    names = {}
    for sid, body in sections(module):
        if sid == 2:
            count, pos = leb(body, 0)
            for _ in range(count):
                _, pos = name(body, pos)
                _, pos = name(body, pos)
                kind = body[pos]
                pos += 1
                if kind == 0:
                    _, pos = leb(body, pos)
                    imported += 1
                elif kind == 1:
                    pos += 1
                    flags, pos = leb(body, pos + 0)
                    _, pos = leb(body, pos)
                    if flags & 1:
                        _, pos = leb(body, pos)
                elif kind == 2:
                    flags, pos = leb(body, pos)
                    _, pos = leb(body, pos)
                    if flags & 1:
                        _, pos = leb(body, pos)
                elif kind == 3:
                    pos += 2
        elif sid == 10:
            count, pos = leb(body, 0)
            for _ in range(count):
                size, start = leb(body, pos)
                bodies.append(start - pos + size)
                pos = start + size
        elif sid == 0:
            section_name, pos = name(body, 0)
            if section_name != "name":
                continue
            while pos < len(body):
                sub = body[pos]
                size, pos = leb(body, pos + 1)
                end = pos + size
                if sub == 1:
                    count, p = leb(body, pos)
                    for _ in range(count):
                        idx, p = leb(body, p)
                        names[idx], p = name(body, p)
                pos = end
    return [(size, names.get(imported + i, f"func[{imported + i}]")) for i, size in enumerate(bodies)]


def group(fn_name):
    m = re.match(r"_ZN(\d+)([A-Za-z_][A-Za-z0-9_]*)", fn_name)
    if m:
        return m.group(2)[: int(m.group(1))]
    m = re.match(r"_R[A-Za-z]*?(\d+)([A-Za-z_][A-Za-z0-9_]*)", fn_name)
    if m:
        crate = re.sub(r"^s[0-9A-Za-z]*_", "", m.group(2)[: int(m.group(1))])
        return crate
    return fn_name.split("::")[0][:40]


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    data = open(path, "rb").read()
    functions = [f for module in core_modules(data) for f in function_sizes(module)]
    total = sum(size for size, _ in functions)
    print(f"{path}: {len(data)} bytes, {len(functions)} functions, {total} bytes of code")
    by_group = Counter()
    for size, fn_name in functions:
        by_group[group(fn_name)] += size
    print("code by crate (roughly):")
    for crate, size in by_group.most_common(12):
        print(f"  {size:>8}  {crate}")
    print(f"largest {top} functions:")
    for size, fn_name in sorted(functions, reverse=True)[:top]:
        print(f"  {size:>8}  {fn_name[:150]}")


if __name__ == "__main__":
    main()
