"""Rate limits of GEC Mines' endpoints.

Rate limits
	`limite_debit` counts calls per user (per address for guests): one ministry behind one address
	must not share a single budget. Over the limit: HTTP 429 and a journal record.
"""

import functools
from collections.abc import Callable

import frappe
from frappe import _

from gec_mines.securite.journal import journal, marquer_journalise


def limite_debit(limite: int, secondes: int) -> Callable:
	"""Allow `limite` calls of the decorated endpoint per user (per address for guests) per `secondes`."""

	def decorator(fn):
		@functools.wraps(fn)
		def wrapper(*args, **kwargs):
			if getattr(frappe.local, "request", None) is not None:
				_compter(f"{fn.__module__}.{fn.__qualname__}", limite, secondes)
			return fn(*args, **kwargs)

		wrapper.gec_limite = (limite, secondes)
		return wrapper

	return decorator


def _compter(endpoint: str, limite: int, secondes: int) -> None:
	user = frappe.session.user
	who = user if user != "Guest" else "ip:" + (getattr(frappe.local, "request_ip", None) or "?")
	key = frappe.cache.make_key(f"gec-rl:{endpoint}:{who}")
	frappe.cache.set(key, 0, ex=secondes, nx=True)
	if frappe.cache.incr(key) > limite:
		journal("Limite dépassée", details=endpoint)
		marquer_journalise()
		frappe.throw(
			_("Too many requests: at most {0} in {1} minutes. Try again later.").format(
				limite, max(1, secondes // 60)
			),
			exc=frappe.RateLimitExceededError,
			title=_("Too many requests"),
		)
