"""The access rule of GEC Mines and everything that enforces it.

- `regle`: who may see a courrier, as one query-builder criterion, and the Courrier hooks;
- `rattaches`: the records that hang off a courrier (attachments, comments, forwards, routing
  lines, assignments, versions, shares, follows, workflow actions, notifications);
- `champs`: the fields the server owns, the confidentiality policy, the user's department;
- `methodes`: the decorator of whitelisted document methods, which judge the stored document;
- `census`: every road to the server (whitelisted method, REST doctype), classified and reviewed.
"""

from gec_mines.constants import ADMIN, AGENT, AUDITEUR, CHEF, GESTIONNAIRE, SG
from gec_mines.permissions.regle import (
	Profil,
	can_read,
	check_read,
	clear_cache,
	conditions_courrier,
	critere,
	departements_concernes,
	get_count,
	has_permission,
	profil,
	query_conditions,
)

__all__ = [
	"ADMIN",
	"AGENT",
	"AUDITEUR",
	"CHEF",
	"GESTIONNAIRE",
	"SG",
	"Profil",
	"can_read",
	"check_read",
	"clear_cache",
	"conditions_courrier",
	"critere",
	"departements_concernes",
	"get_count",
	"has_permission",
	"profil",
	"query_conditions",
]
