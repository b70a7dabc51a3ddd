"""The house rules, checked: packages installed under ftflow's namespace, stages that do not
reach into each other, core that does not import stages, and no oversized module."""

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIRS = {"ftflow": ROOT / "ftflow", "ftflow.tasks": ROOT / "tasks", "ftflow.flows": ROOT / "flows"}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for package, folder in SOURCE_DIRS.items():
        for path in folder.rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            rel = path.relative_to(folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            found[".".join([package, *parts])] = path
    return found


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def test_every_package_folder_is_installed_under_the_ftflow_namespace():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert config["package-dir"] == {"ftflow": "ftflow", "ftflow.tasks": "tasks", "ftflow.flows": "flows"}
    folders = set()
    for package, folder in SOURCE_DIRS.items():
        for init in folder.rglob("__init__.py"):
            rel = init.parent.relative_to(folder).parts
            folders.add(".".join([package, *rel]))
    assert set(config["packages"]) == folders


def test_nothing_imports_bare_tasks_or_flows():
    offenders = {
        name: sorted(i for i in _imports(path) if i.split(".")[0] in {"tasks", "flows"})
        for name, path in _modules().items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_stages_do_not_import_later_stages_and_core_imports_no_stage():
    order = ["prepare", "publish", "train", "evaluate"]  # a stage may use the contracts of earlier ones
    problems = []
    for name, path in _modules().items():
        imported = _imports(path)
        if name.startswith("ftflow.tasks."):
            stage = name.split(".")[2]
            if stage not in order:
                continue
            later = order[order.index(stage) + 1 :]
            # evaluation never imports training: the model to evaluate comes as a name + endpoint
            banned = later + (["train"] if stage == "evaluate" else [])
            problems += [f"{name} imports {i}" for i in imported
                         if i.startswith("ftflow.tasks.") and i.split(".")[2] in banned]  # fmt: skip
        elif name.startswith("ftflow.") and not name.startswith(("ftflow.cli", "ftflow.flows", "ftflow.tasks")):
            problems += [f"{name} imports {i}" for i in imported if i.startswith(("ftflow.tasks", "ftflow.flows"))]
    assert problems == []


def test_no_module_is_over_the_size_limit():
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in _modules().items()}
    assert {k: v for k, v in sizes.items() if v > MAX_LINES} == {}


def test_every_import_of_a_project_name_resolves():
    """`from ftflow.x import name` everywhere (also inside functions) names something that exists."""
    import importlib

    missing = []
    for name, path in _modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ftflow")):
                continue
            if node.module.startswith(("ftflow.tasks.train.hf_", "ftflow.tasks.prepare.documents.ocr")):
                continue  # need the optional `train` extra / system packages; covered by their own tests
            module = importlib.import_module(node.module)
            for alias in node.names:
                if hasattr(module, alias.name):
                    continue
                try:
                    importlib.import_module(f"{node.module}.{alias.name}")
                except ModuleNotFoundError:
                    missing.append(f"{name}: from {node.module} import {alias.name}")
    assert missing == []
