"""The shape of the app: imports flow one way, from the entry points down to `core`, never back.

Reads the source with `ast` (nothing is imported), so it runs without Frappe, in the
framework-free layer too (tests/core/test_architecture.py). Every module of the package gets a
layer; a module may import from its own layer or a lower one, never from a higher one, and the
imports (at module level and inside functions alike) make no circle. `core/` imports no framework.
"""

import ast
import unittest
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.name

# From the bottom up; the longest matching prefix decides a module's layer.
LAYERS = (
	("core", ("", "constants", "core")),
	(
		"helpers",
		("errors", "referentiels", "securite", "securite.journal", "securite.limits", "securite.signin"),
	),
	("rules", ("permissions", "recherche", "numbering", "chiffrement")),
	(
		"workflow",
		(
			"circuit",
			"echeances",
			"notifications",
			"courrier",
			"accuse",
			"registre",
			"tableau_de_bord",
			"fichiers",
			"securite.health",
		),
	),
	("controllers", ("gec_mines",)),
	(
		"entry points",
		(
			"api",
			"overrides",
			"commands",
			"setup",
			"legacy",
			"hooks",
			"boot",
			"install",
			"www",
			"patches",
			"config",
			"templates",
		),
	),
)
FRAMEWORKS = ("frappe", "werkzeug", "pypika")


def module_name(path: Path) -> str:
	parts = [ROOT, *path.relative_to(PACKAGE).with_suffix("").parts]
	return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def app_modules() -> dict[str, Path]:
	return {
		module_name(path): path
		for path in sorted(PACKAGE.rglob("*.py"))
		if "tests" not in path.relative_to(PACKAGE).parts and not path.name.startswith("test_")
	}


def imported_names(module: str, path: Path) -> list[str]:
	"""Every dotted name `module` imports, wherever the import stands (functions included)."""
	names = []
	for node in ast.walk(ast.parse(path.read_text(), str(path))):
		if isinstance(node, ast.Import):
			names += [alias.name for alias in node.names]
		elif isinstance(node, ast.ImportFrom):
			base = node.module or ""
			if node.level:
				package = module.split(".")[
					: len(module.split(".")) - node.level + (path.name == "__init__.py")
				]
				base = ".".join([*package, base] if base else package)
			names += [base] + [f"{base}.{alias.name}" for alias in node.names]
	return names


def import_graph() -> dict[str, set[str]]:
	"""{module: the app's modules it imports}, with the packages Python runs on the way."""
	modules = app_modules()

	def resolve(name: str) -> str | None:
		while name and name not in modules:
			name = name.rpartition(".")[0]
		return name or None

	graph = {}
	for module, path in modules.items():
		targets = set()
		for name in imported_names(module, path):
			target = resolve(name) if name.split(".")[0] == ROOT else None
			while target and target != ROOT:
				if target != module and not module.startswith(target + "."):
					targets.add(target)
				target = target.rpartition(".")[0]
		graph[module] = targets
	return graph


def layer(module: str) -> int | None:
	"""The index in LAYERS of the longest prefix naming `module` (the package itself is core)."""
	relative = module[len(ROOT) + 1 :]
	matches = [
		(len(prefix), index)
		for index, (_name, prefixes) in enumerate(LAYERS)
		for prefix in prefixes
		if relative == prefix or (prefix and relative.startswith(prefix + "."))
	]
	return max(matches)[1] if matches else None


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
	"""The strongly connected components of more than one module (Tarjan)."""
	index, low, stack, on_stack, found = {}, {}, [], set(), []

	def visit(node):
		index[node] = low[node] = len(index)
		stack.append(node)
		on_stack.add(node)
		for target in graph.get(node, ()):
			if target not in index:
				visit(target)
				low[node] = min(low[node], low[target])
			elif target in on_stack:
				low[node] = min(low[node], index[target])
		if low[node] == index[node]:
			component = []
			while True:
				member = stack.pop()
				on_stack.discard(member)
				component.append(member)
				if member == node:
					break
			if len(component) > 1:
				found.append(sorted(component))

	for node in sorted(graph):
		if node not in index:
			visit(node)
	return found


class TestArchitecture(unittest.TestCase):
	def test_every_module_has_a_layer(self):
		self.assertEqual([m for m in app_modules() if layer(m) is None], [])

	def test_imports_flow_from_the_entry_points_down_to_core(self):
		upward = sorted(
			f"{module} ({LAYERS[layer(module)][0]}) imports {target} ({LAYERS[layer(target)][0]})"
			for module, targets in import_graph().items()
			for target in targets
			if layer(module) is not None and layer(target) is not None and layer(target) > layer(module)
		)
		self.assertEqual(upward, [])

	def test_no_import_circle(self):
		self.assertEqual(cycles(import_graph()), [])

	def test_core_imports_no_framework(self):
		"""Domain code that needs no database stays testable without Frappe."""
		offending = sorted(
			f"{module} imports {name}"
			for module, path in app_modules().items()
			if module == f"{ROOT}.core" or module.startswith(f"{ROOT}.core.")
			for name in imported_names(module, path)
			if name.split(".")[0] in FRAMEWORKS
		)
		self.assertEqual(offending, [])

	def test_core_imports_only_core_and_constants(self):
		graph = import_graph()
		outside = sorted(
			f"{module} imports {target}"
			for module in graph
			if module.startswith(f"{ROOT}.core")
			for target in graph[module]
			if not target.startswith(f"{ROOT}.core") and target != f"{ROOT}.constants"
		)
		self.assertEqual(outside, [])


if __name__ == "__main__":
	unittest.main()
