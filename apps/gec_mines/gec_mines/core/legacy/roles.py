"""Legacy roles and visibility levels mapped to the GEC roles.

Legacy model (reference §1.8): `user.role` holds a role slug; a role grants permission strings.
`super_admin` can do everything; for any other role the legacy app looked the role row up
by name and, only when that row was missing, fell back to a built-in map (`admin` sees its
department, `user` its own mail). Visibility had three levels, each widened by "mail
forwarded to me":

- ``all``: permission `read_all_mail` (or `super_admin`);
- ``department``: `read_department_mail`, i.e. mail registered by a user of my department;
- ``own``: `read_own_mail`, mail I registered.

Mapping (least privilege that keeps what each user could see; an administrator widens it
after the import, or the import passes `overrides` per legacy role):

======================  ==============================================================
legacy                  GEC roles
======================  ==============================================================
super_admin             GEC Administrateur + GEC Auditeur (reads all, no Secret access)
read_all_mail           GEC Auditeur (reads all Normal/Confidentiel mail, changes nothing)
read_department_mail    GEC Chef Departement
read_own_mail / other   GEC Gestionnaire
manage_users, roles,    + GEC Administrateur (the permissions that only super-admins
departments, backup,      had in practice; `manage_statuses` and `manage_system_settings`,
updates, security         granted to every legacy `admin`, do not make an Administrateur)
view_all/security_logs  + GEC Auditeur
head of a department    + GEC Chef Departement (added by the reader, see `with_head_role`)
======================  ==============================================================

Nobody becomes GEC Agent Courrier or GEC Secretaire General automatically: every legacy
user could register mail, and the SG's role was never distinct in the legacy data.
In the registry, the legacy "department" of a courrier is its registering user's
department, so the import sets `Courrier.departement` from it; imported mail is `Normal`.
"""

from gec_mines.constants import ADMIN as ADMINISTRATEUR
from gec_mines.constants import AGENT as AGENT_COURRIER
from gec_mines.constants import AUDITEUR, GESTIONNAIRE
from gec_mines.constants import CHEF as CHEF_DEPARTEMENT
from gec_mines.constants import ROLES as GEC_ROLES
from gec_mines.constants import SG as SECRETAIRE_GENERAL

ALL = "all"
DEPARTMENT = "department"
OWN = "own"

SUPER_ADMIN = "super_admin"
BUILTIN_VISIBILITY = {SUPER_ADMIN: ALL, "admin": DEPARTMENT, "user": OWN}
ADMIN_PERMISSIONS = frozenset(
	{
		"manage_users",
		"manage_roles",
		"manage_departments",
		"manage_backup",
		"manage_updates",
		"manage_security_settings",
	}
)
AUDIT_PERMISSIONS = frozenset({"view_all_logs", "view_security_logs"})
VISIBILITY_ROLE = {ALL: AUDITEUR, DEPARTMENT: CHEF_DEPARTEMENT, OWN: GESTIONNAIRE}


def legacy_visibility(role: str, permissions: tuple[str, ...] | None) -> str:
	"""The legacy visibility level of a role; `permissions` None means "no role row"."""
	if role == SUPER_ADMIN:
		return ALL
	if permissions is None:
		return BUILTIN_VISIBILITY.get(role, OWN)
	if "read_all_mail" in permissions:
		return ALL
	if "read_department_mail" in permissions:
		return DEPARTMENT
	return OWN


def map_legacy_role(
	role: str,
	permissions: tuple[str, ...] | None = None,
	overrides: dict[str, tuple[str, ...]] | None = None,
) -> tuple[str, ...]:
	"""The GEC roles for a legacy role slug and its permissions (None: the role row is missing)."""
	if overrides and role in overrides:
		return tuple(overrides[role])
	if role == SUPER_ADMIN:
		return (ADMINISTRATEUR, AUDITEUR)
	granted = set(permissions or ())
	roles = [VISIBILITY_ROLE[legacy_visibility(role, permissions)]]
	if granted & ADMIN_PERMISSIONS:
		roles.append(ADMINISTRATEUR)
	if granted & AUDIT_PERMISSIONS:
		roles.append(AUDITEUR)
	return tuple(dict.fromkeys(roles))


def with_head_role(roles: tuple[str, ...], is_head: bool) -> tuple[str, ...]:
	"""A department head (`departement.chef_departement_id`) also gets GEC Chef Departement."""
	return tuple(dict.fromkeys((*roles, CHEF_DEPARTEMENT))) if is_head else roles
