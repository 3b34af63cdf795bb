"""Who may see a courrier: the one access rule of GEC Mines, written once.

| Level        | Who reads it                                                                    |
|--------------|---------------------------------------------------------------------------------|
| Normal       | the registry desk, the SG, the Auditeur, the Administrateur, the staff of every  |
|              | department concerned, the clerk who registered it, assignees and forwardees     |
| Confidentiel | the SG, the Auditeur, the heads of the departments concerned, the registering   |
|              | clerk, assignees and forwardees                                                 |
| Secret       | the SG and the users the SG names (assigns, forwards or shares it to)           |

"Departments concerned" are the department in charge (`Courrier.departement`) and every
department on the routing slip (`Imputation Courrier`). A user's departments are their
`User.gec_departement` and the departments they head (`Departement.chef`).

The legacy visibility levels map onto roles: "all mail" is the desk (or the Auditeur, read
only), "my department" is a Chef Departement or Gestionnaire with a department, "my own and
forwarded to me" is a Gestionnaire without one.

The rule is one query-builder criterion on `tabCourrier` (`critere`). Everything else is derived
from it: the list condition (`conditions_courrier`, the `permission_query_conditions` hook), the
one-document check (`can_read`: the criterion plus `name = …`, so it always judges the stored
row), and the custom queries of the register, statistics, dashboard and closing. There is no
second copy of the rule to drift away from the first.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import frappe
from frappe import _
from frappe.query_builder import DocType
from pypika.terms import Criterion

from gec_mines.constants import AUDITEUR, CHEF, DEPARTMENT_ROLES, READ_ALL_NORMAL, SG
from gec_mines.recherche import condition as plein_texte


def courrier_table():
	"""`tabCourrier` for the query builder (built per call: it needs the site's database)."""
	return DocType("Courrier")


@dataclass(frozen=True)
class Profil:
	user: str
	roles: frozenset
	departements: frozenset  # member or head
	chef_de: frozenset  # departments this user heads

	@property
	def voit_tout(self) -> bool:
		return self.user == "Administrator" or SG in self.roles


def profil(user: str | None = None) -> Profil:
	"""The roles and departments the rule needs, read once per request from the stored user."""
	user = user or frappe.session.user
	cache = frappe.local.cache.setdefault("gec_profils", {})
	if user not in cache:
		roles = frozenset(frappe.get_roles(user))
		own = frappe.db.get_value("User", user, "gec_departement") if user != "Guest" else None
		headed = set(frappe.get_all("Departement", filters={"chef": user}, pluck="name"))
		if own and CHEF in roles:
			headed.add(own)
		cache[user] = Profil(user, roles, frozenset(headed | ({own} if own else set())), frozenset(headed))
	return cache[user]


def clear_cache():
	frappe.local.cache.pop("gec_profils", None)


# ------------------------------------------------------------------ the rule


def critere(user: str | None = None) -> Criterion | None:
	"""The mail `user` may see, as a criterion on `tabCourrier` (None: every mail)."""
	parts = branches(user)
	if parts is None:
		return None
	return Criterion.any(parts)


def branches(user: str | None = None) -> list[Criterion] | None:
	"""The rule as the branches whose OR it is (None: every mail), each one a condition an index
	answers (a department, an owner, a routing slip, a name on a ToDo, a forward or a share).

	The list endpoints run one query per branch and merge their first pages (gec_mines.recherche),
	so a department's staff read their department's mail from its index instead of testing the
	whole rule on each row of the archive; everything else uses their OR, `critere`."""
	p = profil(user)
	if p.voit_tout:
		return None
	c = courrier_table()
	normal, confidentiel = c.confidentialite == "Normal", c.confidentialite == "Confidentiel"
	parts, own_levels = [], ["Normal", "Confidentiel"]
	if p.roles & READ_ALL_NORMAL:
		parts.append(normal)
		own_levels.remove("Normal")
	elif p.roles & DEPARTMENT_ROLES and p.departements:
		parts += [normal & part for part in _of_departments(p.departements)]
	if AUDITEUR in p.roles:
		parts.append(confidentiel)
		own_levels.remove("Confidentiel")
	elif p.chef_de:
		parts += [confidentiel & part for part in _of_departments(p.chef_de)]
	if own_levels:  # what they registered themselves, below Secret, where no branch gives it yet
		parts.append(c.confidentialite.isin(own_levels) & (c.owner == p.user))
	return parts + _named(p.user)


def _of_departments(departments) -> list[Criterion]:
	"""The department in charge, or a line of the routing slip, is one of `departments`."""
	imputation = DocType("Imputation Courrier")
	names = sorted(departments)
	routed = (
		frappe.qb.from_(imputation)
		.select(imputation.parent)
		.where((imputation.parenttype == "Courrier") & imputation.departement.isin(names))
	)
	courrier = courrier_table()
	# one branch per department: each reads its department's index in the list's order
	return [courrier.departement == name for name in names] + [courrier.name.isin(routed)]


def _named(user: str) -> list[Criterion]:
	"""Assigned, forwarded or shared to `user`: the ways the SG names a reader."""
	todo, transmission, share = DocType("ToDo"), DocType("Transmission Courrier"), DocType("DocShare")
	assigned = (
		frappe.qb.from_(todo)
		.select(todo.reference_name)
		.where(
			(todo.reference_type == "Courrier") & (todo.allocated_to == user) & (todo.status != "Cancelled")
		)
	)
	forwarded = (
		frappe.qb.from_(transmission).select(transmission.courrier).where(transmission.destinataire == user)
	)
	shared = (
		frappe.qb.from_(share)
		.select(share.share_name)
		.where((share.share_doctype == "Courrier") & (share.user == user) & (share.read == 1))
	)
	courrier = courrier_table()
	return [courrier.name.isin(assigned), courrier.name.isin(forwarded), courrier.name.isin(shared)]


def conditions_courrier(user: str | None = None) -> str:
	"""The rule as an SQL condition on `tabCourrier` ("" for everything), for lists and custom queries.

	Inside `une_branche` (the list endpoints' per-branch queries) it is that branch alone, which
	only ever narrows what the rule gives."""
	branch = frappe.local.flags.get("gec_branche")
	mine = user in (None, frappe.session.user)
	rule = branch if branch is not None and mine else critere(user)
	return "" if rule is None else f"({rule.get_sql(with_namespace=True, quote_char='`')})"


@contextmanager
def une_branche(branch: Criterion):
	"""Within the block, the Courrier list's permission condition is `branch` (one of `branches`)."""
	frappe.local.flags.gec_branche = branch
	try:
		yield
	finally:
		frappe.local.flags.gec_branche = None


# ------------------------------------------------------------------ one courrier


def can_read(courrier, user: str | None = None) -> bool:
	"""True when `user` may see the stored courrier named by `courrier` (a name or a document).

	Only the stored row counts: a document built by a request (marked new, or carrying other
	values) is judged by the row of the same name, and a name with no row is readable by nobody.
	"""
	name = courrier if isinstance(courrier, str) else courrier.name
	if not name:
		return False
	courrier = courrier_table()
	query = frappe.qb.from_(courrier).select(courrier.name).where(courrier.name == name)
	if (rule := critere(user)) is not None:
		query = query.where(rule)
	return bool(query.run())


def check_read(name: str, user: str | None = None):
	"""For custom endpoints: a 403 with a clear message unless `user` may read the courrier."""
	if not can_read(name, user):
		frappe.throw(
			_("You are not allowed to see mail {0}.").format(frappe.bold(name)), exc=frappe.PermissionError
		)


def departements_concernes(name: str, departement: str | None = None) -> set:
	"""The department in charge and the departments of the routing slip of a stored courrier."""
	routed = frappe.get_all(
		"Imputation Courrier", filters={"parenttype": "Courrier", "parent": name}, pluck="departement"
	)
	return set(routed) | ({departement} if departement else set())


# ------------------------------------------------------------------ Frappe hooks of Courrier


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""`has_permission` hook of Courrier: the rule can only take away what roles give.

	Creating is left to role permissions (the controller decides every value the server owns);
	anything else is judged on the stored row, so a client-built "new" document of an existing
	mail gets no further than the mail itself would.
	"""
	if ptype == "create":
		return None
	return can_read(doc, user)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` hook of Courrier: the rule, plus the full-text search words."""
	return " and ".join(c for c in (conditions_courrier(user), plein_texte()) if c)


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	"""`frappe.client.get_count` with the user's permissions: Frappe v15 counts every row of any
	doctype for anyone, which would let a user probe mail they may not see."""
	from frappe.client import get_safe_filters

	rows = frappe.get_list(
		doctype, filters=get_safe_filters(filters), fields=["count(*) as total"], order_by=""
	)
	return rows[0].total if rows else 0
