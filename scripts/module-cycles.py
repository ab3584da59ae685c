#!/usr/bin/env python3
"""Cycles among the top-level modules of each crate given (issue 19).

    scripts/module-cycles.py crates/* .

A module uses another when its non-test code names `crate::other`, lists it
in `use crate::{...}`, or names `super::other` outside a `mod.rs`. A file
under `src/a/` belongs to module `a`. Prints each crate with its cycles
(strongly connected groups of two or more modules); `[]` is none.
"""

import os
import re
import sys


def modules_of(crate):
    """Top-level module name -> its source files."""
    src = os.path.join(crate, "src")
    files = {}
    for root, _, names in os.walk(src):
        for name in names:
            if not name.endswith(".rs"):
                continue
            path = os.path.join(root, name)
            module = os.path.relpath(path, src)[:-3].replace("/mod", "").split("/")[0]
            if module not in ("lib", "main"):
                files.setdefault(module, []).append(path)
    return files


def without_tests(text):
    cut = text.find("#[cfg(test)]")
    return text if cut < 0 else text[:cut]


def uses(module_files, modules):
    """Module -> the other modules its code uses."""
    graph = {m: set() for m in modules}
    for module, paths in module_files.items():
        for path in paths:
            with open(path) as f:
                code = without_tests(f.read())
            for other in modules:
                if other == module:
                    continue
                named = re.search(r"\bcrate::" + other + r"\b", code)
                listed = re.search(r"use crate::\{[^}]*\b" + other + r"\b", code, re.S)
                parent = os.path.basename(path) != "mod.rs" and re.search(r"\bsuper::" + other + r"\b", code)
                if named or listed or parent:
                    graph[module].add(other)
    return graph


def cycles(graph):
    """Tarjan's strongly connected components with more than one module."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def main():
    for crate in sys.argv[1:]:
        files = modules_of(crate)
        print(crate, cycles(uses(files, set(files))))


if __name__ == "__main__":
    main()
