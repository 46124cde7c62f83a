#!/usr/bin/env python3
"""Checks that no Rust module of the workspace's crates imports another in a circle.

For every `src/**/*.rs` of each crate, the `crate::a::b::…` paths it names (in `use` lines and
in code; doc comments are skipped) are resolved to the module file they point into. A circle
between two files, or between two top-level modules of a crate (its rooms, e.g. the folders
`worker/` and `interfaces/`), fails the check and is printed. Usage: scripts/check-layers.py [CRATE_DIR…]
"""

import re
import sys
from pathlib import Path

CRATES = ["golem-rpc-host", "golem-rpc-runtime", "golem-rpc-cli", "golem-rpc-codegen", "golem-rpc-macro"]
PATH = re.compile(r"\bcrate::((?:[a-z_][a-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*)")
REEXPORT = re.compile(r"\bpub use ((?:[a-z_][a-z0-9_]*::)+)(?:\{([^}]*)\}|([A-Za-z_][A-Za-z0-9_]*))", re.S)
GROUP = re.compile(r"\bcrate::((?:[a-z_][a-z0-9_]*::)*)\{([^}]*)\}", re.S)


def module_of(src: Path, path: Path) -> tuple:
    rel = path.relative_to(src).with_suffix("")
    parts = rel.parts
    if parts[-1] in ("mod", "lib", "main"):
        parts = parts[:-1]
    return parts


def code_of(path: Path) -> str:
    lines = [line for line in path.read_text().splitlines() if not line.lstrip().startswith("//")]
    return "\n".join(lines)


def named_paths(code: str):
    for prefix, inner in GROUP.findall(code):
        for item in inner.split(","):
            item = item.strip().split(" as ")[0].strip()
            if item and item != "self":
                yield (prefix + item).split("::")
            elif item == "self":
                yield prefix.rstrip(":").split("::")
    for path in PATH.findall(code):
        yield path.split("::")


def edges(crate: Path):
    src = crate / "src"
    files = sorted(p for p in src.rglob("*.rs"))
    modules = {module_of(src, p): p for p in files}
    # names the crate root re-exports (`crate::Uri` is `crate::bindings::…::Uri`)
    reexports = {}
    for root in ("lib.rs", "main.rs"):
        if (src / root).exists():
            for prefix, group, single in REEXPORT.findall(code_of(src / root)):
                for item in (group.split(",") if group else [single]):
                    name = item.strip().split(" as ")[-1].strip()
                    if name:
                        reexports[name] = prefix.rstrip(":").split("::")
    graph = {}
    for path in files:
        me = module_of(src, path)
        targets = set()
        for names in named_paths(code_of(path)):
            if len(names) == 1 and names[0] in reexports:
                names = reexports[names[0]] + names
            # the longest prefix that is a module file of this crate
            for n in range(len(names), 0, -1):
                target = tuple(names[:n])
                if target in modules:
                    break
            else:
                continue
            # a module's own children and its ancestors' declarations are not imports
            if target != me and target[: len(me)] != me:
                targets.add(target)
        graph[me] = targets
    return graph


def circles(graph):
    """Strongly connected components with more than one node (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    root = Path(__file__).resolve().parent.parent
    crates = [Path(c) for c in sys.argv[1:]] or [root / c for c in CRATES]
    failed_any = False
    for crate in crates:
        failed = False
        graph = edges(crate)
        folders = {}
        for source, targets in graph.items():
            for target in targets:
                a, b = source[:1], target[:1]
                # every top-level module (a file or a folder) is a room; the crate root is none
                if a != b and a and b:
                    folders.setdefault(a, set()).add(b)
        name = crate.name
        for kind, found in (("modules", circles(graph)), ("top-level modules", circles(folders))):
            for circle in found:
                failed = True
                shown = ", ".join("::".join(m) or "crate" for m in circle)
                print(f"{name}: {kind} import each other in a circle: {shown}")
                for m in circle:
                    back = sorted("::".join(t) for t in (graph if kind == "modules" else folders).get(m, ()) if t in circle)
                    print(f"  {'::'.join(m)} -> {', '.join(back)}")
        print(f"{name}: {len(graph)} modules, {'circles found' if failed else 'no circles'}")
        failed_any |= failed
    return 1 if failed_any else 0


if __name__ == "__main__":
    sys.exit(main())
