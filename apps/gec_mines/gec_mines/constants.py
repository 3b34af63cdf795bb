"""The names the whole app shares: roles and confidentiality levels (DESIGN.md keeps them)."""

AGENT = "GEC Agent Courrier"
GESTIONNAIRE = "GEC Gestionnaire"
CHEF = "GEC Chef Departement"
SG = "GEC Secretaire General"
ADMIN = "GEC Administrateur"
AUDITEUR = "GEC Auditeur"

READ_ALL_NORMAL = frozenset({AGENT, SG, AUDITEUR, ADMIN})
DEPARTMENT_ROLES = frozenset({CHEF, GESTIONNAIRE})

# Confidentiality levels, from the lowest to the highest.
NIVEAUX = ("Normal", "Confidentiel", "Secret")
