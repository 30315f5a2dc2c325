"""The layers of lib/ import only downward, and no city or topic key is written in code.

Data flows one way (raw files -> corpus -> tagging -> analysis -> present). A module may import
its own layer and the layers below it, never above: the loader knows nothing of tagging, the
taggers nothing of the tables built from them, the tables nothing of the charts drawn from them.
Imports inside functions count too.
"""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from lib import paths
from lib.vocabulary import get_vocabulary

#: What each layer may import from lib (besides itself).
ALLOWED: dict[str, set[str]] = {
    "lib": set(),  # the package itself: a docstring and __version__
    "lib.paths": set(),
    "lib.vocabulary": {"lib.paths"},
    "lib.corpus": {"lib.paths"},
    "lib.tagging": {"lib.paths", "lib.vocabulary", "lib.corpus"},
    "lib.analysis": {"lib.paths", "lib.vocabulary", "lib.corpus", "lib.tagging"},
    "lib.present": {"lib", "lib.paths", "lib.vocabulary", "lib.corpus", "lib.tagging",
                    "lib.analysis"},
    "lib.sample": {"lib.paths", "lib.vocabulary", "lib.corpus"},
    # The distributed engine runs the loader, the taggers and the token table on a cluster.
    "lib.engine": {"lib.paths", "lib.corpus", "lib.tagging"},
    # Names kept for code written against the first layout: they only re-export taggers.
    "lib.regions": {"lib.tagging"},
    "lib.taxonomy": {"lib.tagging"},
    "lib.lexicon": {"lib.tagging"},
}


#: Single modules allowed more than their layer, and why. Fitting the models (``make train``) is
#: offline work that sits above the analysis: it keeps the synthetic sample's yearly topic
#: shares (an analysis measure) at their floor. No other module of lib imports it, so tagging
#: articles never pulls in the analysis (``test_only_the_cli_imports_the_fitting``).
MODULE_ALLOWED: dict[str, set[str]] = {
    "lib.tagging.train": {"lib.analysis"},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(paths.ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else module


def lib_imports() -> dict[str, set[str]]:
    """Every lib module and the lib modules it imports (at any depth of the file)."""
    out: dict[str, set[str]] = {}
    for path in sorted(paths.LIB_DIR.rglob("*.py")):
        module = _module_name(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names if a.name.split(".")[0] == "lib"}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]
                                    + ([base] if base else []))
                if base.split(".")[0] != "lib":
                    continue
                # `from lib.tagging import regions` imports the module lib.tagging.regions.
                for alias in node.names:
                    candidate = f"{base}.{alias.name}"
                    found.add(candidate if _exists(candidate) else base)
        out[module] = found
    return out


def _exists(module: str) -> bool:
    rel = Path(*module.split("."))
    return (paths.ROOT / rel.with_suffix(".py")).exists() or (paths.ROOT / rel / "__init__.py").exists()


def test_every_layer_imports_only_downward() -> None:
    wrong = []
    for module, imported in lib_imports().items():
        layer = _layer(module)
        allowed = ALLOWED.get(layer)
        assert allowed is not None, f"{module}: a new layer; add it to ALLOWED with its rule"
        allowed = allowed | MODULE_ALLOWED.get(module, set())
        for target in imported:
            target_layer = _layer(target)
            if target_layer != layer and target_layer not in allowed:
                wrong.append(f"{module} -> {target}")
    assert not wrong, "imports against the flow of data:\n" + "\n".join(sorted(wrong))


def test_only_the_cli_imports_the_fitting() -> None:
    """The modules granted more than their layer (:data:`MODULE_ALLOWED`) are entry points:
    nothing in lib imports them."""
    importers = [f"{module} -> {target}" for module, imported in lib_imports().items()
                 for target in imported if target in MODULE_ALLOWED and module != target]
    assert not importers, "\n".join(sorted(importers))


def test_no_import_cycle() -> None:
    graph = lib_imports()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in graph or nxt == node:
                continue
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if not state.get(nxt):
                cycle = visit(nxt)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if not state.get(start):
            cycle = visit(start)
            assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_no_private_name_is_imported_across_modules() -> None:
    offenders = []
    for path in sorted(paths.LIB_DIR.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lib"):
                offenders += [f"{_module_name(path)}: {a.name}" for a in node.names
                              if a.name.startswith("_") and a.name != "__version__"]
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                if isinstance(node.value, ast.Name) and node.value.id in _imported_lib_names(tree):
                    offenders.append(f"{_module_name(path)}: {node.value.id}.{node.attr}")
    assert not offenders, "private names used across modules:\n" + "\n".join(offenders)


def _imported_lib_names(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lib"):
            names |= {a.asname or a.name for a in node.names}
        elif isinstance(node, ast.Import):
            names |= {a.asname or a.name for a in node.names if a.name.startswith("lib")}
    return names


def _keys_of(file: Path, table: str) -> set[str]:
    with file.open("rb") as fh:
        return set(tomllib.load(fh)[table])


@pytest.mark.parametrize(
    ("what", "keys"),
    [
        ("city", lambda: _keys_of(paths.RESOURCES_DIR / "regions.toml", "cities")),
        ("topic", lambda: _keys_of(paths.topics_file(), "topics")),
    ],
)
def test_no_city_or_topic_key_in_code(what: str, keys) -> None:
    """Keys live in the data files; code asks lib.vocabulary. The sample generator, which
    invents the synthetic corpus city by city, is the one exception."""
    words = keys()
    assert words, f"no {what} keys found"
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, words))) + r")\b")
    hits = []
    for path in sorted(paths.LIB_DIR.rglob("*.py")):
        rel = path.relative_to(paths.LIB_DIR)
        if rel.parts[0] in {"sample", "sample.py"}:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                hits.append(f"lib/{rel.as_posix()}:{n}: {line.strip()}")
    assert not hits, f"{what} keys written in code:\n" + "\n".join(hits)


def test_the_vocabulary_reads_what_the_taggers_read() -> None:
    vocabulary = get_vocabulary()
    assert set(vocabulary.city_keys) == _keys_of(paths.regions_file(), "cities")
    assert set(vocabulary.topic_keys) == _keys_of(paths.topics_file(), "topics")
    assert set(vocabulary.compare) <= set(vocabulary.city_keys)
