"""Print which project apps each app imports (standard library only).

    python3 scripts/import_graph.py            # app -> apps it imports
    python3 scripts/import_graph.py --modules  # module -> project modules it imports

Reads the import statements of every module under the project's top-level
packages (tests, scripts, bench and migrations excluded), resolving relative
imports. It shows the arrows that `lint-imports` checks against the contract in
pyproject.toml, so a reviewer can see the graph without installing anything.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP = {"tests", "scripts", "bench", "static", "staticfiles", "templates", "fixtures"}


def packages():
    return sorted(
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in SKIP
    )


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path, module, is_package):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = module.split(".") if is_package else module.split(".")[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - node.level + 1]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            yield prefix
            for alias in node.names:
                yield f"{prefix}.{alias.name}"


def main(argv):
    show_modules = "--modules" in argv
    apps = packages()
    graph = defaultdict(set)
    for app in apps:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            module = module_name(path)
            for target in imported_modules(path, module, path.name == "__init__.py"):
                target_app = target.split(".")[0]
                if target_app not in apps or target_app == app:
                    continue
                if show_modules:
                    graph[module].add(_module_of(target, known_modules(apps)))
                else:
                    graph[app].add(target_app)
    keys = sorted(graph) if show_modules else apps
    for key in keys:
        print(f"{key} -> {', '.join(sorted(graph[key])) or '(nothing)'}")


_known = None


def _module_of(target, known):
    """`from centres.models import Site` names `centres.models.Site`: its module."""
    while target not in known and "." in target:
        target = target.rsplit(".", 1)[0]
    return target


def known_modules(apps):
    global _known
    if _known is None:
        _known = {module_name(p) for app in apps for p in (ROOT / app).rglob("*.py")}
    return _known


if __name__ == "__main__":
    main(sys.argv[1:])
