"""The health check behind `gec_mines.api.health`: what the registry needs, and whether it is up."""

import shutil
import time
from collections.abc import Callable

import frappe

from gec_mines.chiffrement import etat_cle


def sante() -> dict:
	"""The state of what the registry needs; `critical` checks decide between up and down."""
	checks = {
		"database": _verifier(lambda: frappe.db.sql("select 1")),
		"redis_cache": _verifier(lambda: frappe.cache.ping()),
		"redis_queue": _verifier(_ping_queue),
		"scheduler": _planificateur(),
		"disk": _disque(),
		"encryption_key": _cle(),
	}
	critical = ("database", "redis_cache", "redis_queue")
	return {"status": "up" if all(checks[c]["ok"] for c in critical) else "down", "checks": checks}


def _verifier(call: Callable) -> dict:
	start = time.perf_counter()
	try:
		call()
	except Exception as error:
		return {"ok": False, "error": type(error).__name__}
	return {"ok": True, "ms": round((time.perf_counter() - start) * 1000, 1)}


def _ping_queue():
	from frappe.utils.background_jobs import get_redis_conn

	get_redis_conn().ping()


def _planificateur() -> dict:
	from frappe.utils.background_jobs import get_workers
	from frappe.utils.scheduler import is_scheduler_inactive

	state = {"enabled": not is_scheduler_inactive(verbose=False)}
	state["last_run"] = str(frappe.db.get_value("Scheduled Job Log", {}, "max(creation)") or "") or None
	try:
		state["workers"] = len(get_workers())
	except Exception:
		state["workers"] = None
	state["ok"] = bool(state["enabled"] and state["workers"])
	return state


def _disque() -> dict:
	usage = shutil.disk_usage(frappe.get_site_path())
	free_pct = round(usage.free * 100 / usage.total, 1)
	return {
		"ok": free_pct >= 5 and usage.free >= 500 * 1024 * 1024,
		"free_gb": round(usage.free / 1024**3, 2),
		"free_percent": free_pct,
	}


def _cle() -> dict:
	state = etat_cle()
	state.pop("path", None)
	state["ok"] = state["present"] and "warning" not in state
	return state
