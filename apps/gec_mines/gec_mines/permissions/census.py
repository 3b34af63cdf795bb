"""The census of roads: every whitelisted method of Frappe and of GEC Mines, and every DocType
reachable through `/api/resource`, against the reviewed list `census.toml` next to this file.

A new road cannot ship unreviewed: `tests/test_census.py` fails when one is missing from the
list or when the list names one that no longer exists. A developer runs the same check with
`bench --site SITE execute gec_mines.permissions.census.unclassified`.
"""

import importlib
import pkgutil
from pathlib import Path

import frappe
import tomllib

CENSUS = Path(__file__).with_name("census.toml")
PACKAGES = ("frappe", "gec_mines")
CLASSES = ("safe", "guarded", "blocked")


def read_census() -> dict:
	with CENSUS.open("rb") as f:
		return tomllib.load(f)


def _is_test_module(name: str) -> bool:
	parts = name.split(".")
	return any(p in ("tests", "test_runner") or p.startswith("test_") for p in parts)


def import_all() -> dict[str, str]:
	"""Import every module of the packages (test modules aside), so that each whitelisted function
	is registered. Returns the modules that failed to import, with their error."""
	failed = {}
	for package in PACKAGES:
		root = importlib.import_module(package)
		for module in pkgutil.walk_packages(root.__path__, package + ".", onerror=lambda name: None):
			if _is_test_module(module.name):
				continue
			try:
				importlib.import_module(module.name)
			except Exception as e:
				failed[module.name] = f"{type(e).__name__}: {e}"
	return failed


def method_path(fn) -> str:
	return f"{fn.__module__}.{fn.__qualname__}"


def whitelisted_methods() -> dict[str, bool]:
	"""{dotted path: allows guests} for every whitelisted function of the packages."""
	import_all()
	guests = {method_path(fn) for fn in frappe.guest_methods}
	return {
		path: path in guests
		for path in sorted(
			{method_path(fn) for fn in frappe.whitelisted if not _is_test_module(fn.__module__)}
		)
		if path.split(".")[0] in PACKAGES
	}


def resource_doctypes() -> list[str]:
	"""Every DocType that `/api/resource/<DocType>` serves: all but the virtual ones."""
	return frappe.get_all("DocType", filters={"is_virtual": 0}, pluck="name", order_by="name")


def tied_to_courrier(doctype: str) -> bool:
	"""A Link field to Courrier, or a Dynamic Link that may name one."""
	meta = frappe.get_meta(doctype)
	return any(
		(f.fieldtype == "Link" and f.options == "Courrier") or f.fieldtype == "Dynamic Link"
		for f in meta.fields
	)


def unclassified() -> dict[str, list[str]]:
	"""What the census lacks, names that no longer exist, and entries that are malformed."""
	census = read_census()
	methods, doctypes = census.get("methods", {}), census.get("doctypes", {})
	live_methods, live_doctypes = set(whitelisted_methods()), set(resource_doctypes())
	report = {
		"methods_missing": sorted(live_methods - set(methods)),
		"methods_gone": sorted(set(methods) - live_methods),
		"doctypes_missing": sorted(live_doctypes - set(doctypes)),
		"doctypes_gone": sorted(set(doctypes) - live_doctypes),
		"malformed": sorted(
			f"{kind}.{name}"
			for kind, entries in (("methods", methods), ("doctypes", doctypes))
			for name, entry in entries.items()
			if entry.get("class") not in CLASSES or not (entry.get("why") or "").strip()
		),
		"courrier_ties_unguarded": sorted(
			name
			for name in live_doctypes & set(doctypes)
			if tied_to_courrier(name)
			and not (
				doctypes[name].get("class") == "guarded"
				and doctypes[name].get("guard")
				or doctypes[name].get("class") in ("safe", "blocked")
			)
		),
		"guards_not_wired": sorted(
			[
				name
				for name, entry in methods.items()
				if entry.get("override")
				and entry["override"] not in _hook("override_whitelisted_methods").get(name, [])
			]
			+ [
				name
				for name, entry in doctypes.items()
				if (entry.get("guard") or "").startswith("gec_mines.permissions")
				and name not in _hook("has_permission")
			]
		),
	}
	return {key: value for key, value in report.items() if value}


def _hook(name: str) -> dict[str, list[str]]:
	return frappe.get_hooks(name, {})
