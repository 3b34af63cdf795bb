"""Who may see a courrier: the one access rule of GEC Mines.

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

The same rule answers `has_permission` (one document), `permission_query_conditions` (lists,
reports, counts, link searches) and the custom endpoints, and it is applied to the records
that hang off a courrier (attachments, comments, versions, assignments, forwards).
"""

from dataclasses import dataclass

import frappe

AGENT = "GEC Agent Courrier"
GESTIONNAIRE = "GEC Gestionnaire"
CHEF = "GEC Chef Departement"
SG = "GEC Secretaire General"
ADMIN = "GEC Administrateur"
AUDITEUR = "GEC Auditeur"

READ_ALL_NORMAL = {AGENT, SG, AUDITEUR, ADMIN}
DEPARTMENT_ROLES = {CHEF, GESTIONNAIRE}
# Records attached to a courrier: doctype -> (column naming the doctype or None, column naming the courrier)
RELATED = {
	"File": ("attached_to_doctype", "attached_to_name"),
	"Comment": ("reference_doctype", "reference_name"),
	"Communication": ("reference_doctype", "reference_name"),
	"Version": ("ref_doctype", "docname"),
	"ToDo": ("reference_type", "reference_name"),
	"Transmission Courrier": (None, "courrier"),
	"Commentaire Courrier": (None, "courrier"),
}


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
	"""The roles and departments the rule needs, read once per request."""
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


# ------------------------------------------------------------------ one courrier


def can_read(courrier, user: str | None = None) -> bool:
	"""True when `user` may see `courrier` (a name, or a document whose stored values count)."""
	p = profil(user)
	if p.voit_tout:
		return True
	name = courrier if isinstance(courrier, str) else courrier.name
	if not name or (not isinstance(courrier, str) and courrier.is_new()):
		return not isinstance(courrier, str)  # a mail being created: role permissions decide
	# Always the stored values: a request must not gain access by editing the fields it is judged on.
	stored = frappe.db.get_value("Courrier", name, ["owner", "confidentialite", "departement"], as_dict=True)
	if not stored:
		return False
	level = stored.confidentialite or "Normal"
	if level == "Normal" and (p.roles & READ_ALL_NORMAL or stored.owner == p.user):
		return True
	if level == "Confidentiel" and (AUDITEUR in p.roles or stored.owner == p.user):
		return True
	if level != "Secret":
		departments = p.departements if level == "Normal" and p.roles & DEPARTMENT_ROLES else p.chef_de
		if departments and departements_concernes(name, stored.departement) & departments:
			return True
	return est_destinataire(name, p.user)


def departements_concernes(name: str, departement: str | None = None) -> set:
	routed = frappe.get_all(
		"Imputation Courrier", filters={"parenttype": "Courrier", "parent": name}, pluck="departement"
	)
	return set(routed) | ({departement} if departement else set())


def est_destinataire(name: str, user: str) -> bool:
	"""Assigned, forwarded or shared to `user`: the ways the SG names a reader."""
	return bool(
		frappe.db.exists(
			"ToDo",
			{
				"reference_type": "Courrier",
				"reference_name": name,
				"allocated_to": user,
				"status": ("!=", "Cancelled"),
			},
		)
		or frappe.db.exists("Transmission Courrier", {"courrier": name, "destinataire": user})
		or frappe.db.exists(
			"DocShare", {"share_doctype": "Courrier", "share_name": name, "user": user, "read": 1}
		)
	)


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""`has_permission` hook of Courrier: the rule can only take away what roles give."""
	if ptype == "create":
		return None
	return can_read(doc, user)


def check_read(name: str, user: str | None = None):
	"""For custom endpoints: a 403 with a clear message unless `user` may read the courrier."""
	from frappe import _

	if not frappe.db.exists("Courrier", name) or not can_read(name, user):
		frappe.throw(
			_("You are not allowed to see mail {0}.").format(frappe.bold(name)), exc=frappe.PermissionError
		)


# ------------------------------------------------------------------ lists and queries


def conditions_courrier(user: str | None = None) -> str:
	"""SQL condition on `tabCourrier` selecting the mail `user` may see ("" for everything)."""
	p = profil(user)
	if p.voit_tout:
		return ""
	t = "`tabCourrier`"
	u = frappe.db.escape(p.user)
	owner = f"{t}.`owner` = {u}"

	def of_departments(departments) -> str:
		names = ", ".join(frappe.db.escape(d) for d in sorted(departments))
		return (
			f"({t}.`departement` in ({names}) or {t}.`name` in (select `parent` from `tabImputation Courrier`"
			f" where `parenttype` = 'Courrier' and `departement` in ({names})))"
		)

	normal = [owner]
	if p.roles & READ_ALL_NORMAL:
		normal = ["1 = 1"]
	elif p.roles & DEPARTMENT_ROLES and p.departements:
		normal.append(of_departments(p.departements))
	confidentiel = ["1 = 1"] if AUDITEUR in p.roles else [owner]
	if p.chef_de and AUDITEUR not in p.roles:
		confidentiel.append(of_departments(p.chef_de))
	named = (
		f"{t}.`name` in (select `reference_name` from `tabToDo` where `reference_type` = 'Courrier'"
		f" and `allocated_to` = {u} and `status` != 'Cancelled')"
		f" or {t}.`name` in (select `courrier` from `tabTransmission Courrier` where `destinataire` = {u})"
		f" or {t}.`name` in (select `share_name` from `tabDocShare` where `share_doctype` = 'Courrier'"
		f" and `user` = {u} and `read` = 1)"
	)
	return (
		f"(({t}.`confidentialite` = 'Normal' and ({' or '.join(normal)}))"
		f" or ({t}.`confidentialite` = 'Confidentiel' and ({' or '.join(confidentiel)}))"
		f" or {named})"
	)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""`permission_query_conditions` hook for Courrier and the records attached to it."""
	doctype = doctype or "Courrier"
	condition = conditions_courrier(user)
	if doctype == "Courrier":
		from gec_mines.recherche import condition as plein_texte

		return " and ".join(c for c in (condition, plein_texte()) if c)
	if not condition:
		return condition
	type_column, name_column = RELATED[doctype]
	t = f"`tab{doctype}`"
	visible = f"{t}.`{name_column}` in (select `tabCourrier`.`name` from `tabCourrier` where {condition})"
	if type_column is None:
		return f"({visible})"
	return f"(ifnull({t}.`{type_column}`, '') != 'Courrier' or {visible})"


def related_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""`has_permission` hook of the records attached to a courrier: no access without the courrier's.

	It only ever denies; when the courrier is readable, Frappe's own rules for the record decide.
	"""
	type_column, name_column = RELATED[doc.doctype]
	if type_column and doc.get(type_column) != "Courrier":
		return None
	name = doc.get(name_column)
	if not name or ptype == "create" or not frappe.db.exists("Courrier", name):
		return None
	return None if can_read(name, user) else False


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	"""`frappe.client.get_count` with the user's permissions: Frappe v15 counts every row of any
	doctype for anyone, which would let a user probe mail they may not see."""
	from frappe.client import get_safe_filters

	rows = frappe.get_list(
		doctype, filters=get_safe_filters(filters), fields=["count(*) as total"], order_by=""
	)
	return rows[0].total if rows else 0
