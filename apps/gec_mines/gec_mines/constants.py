"""The names the whole app shares: roles, confidentiality levels and the states and actions of the
Circuit du Courrier (DESIGN.md keeps them). Plain constants: hooks.py imports this module early."""

AGENT = "GEC Agent Courrier"
GESTIONNAIRE = "GEC Gestionnaire"
CHEF = "GEC Chef Departement"
SG = "GEC Secretaire General"
ADMIN = "GEC Administrateur"
AUDITEUR = "GEC Auditeur"
ROLES = (AGENT, GESTIONNAIRE, CHEF, SG, ADMIN, AUDITEUR)

READ_ALL_NORMAL = frozenset({AGENT, SG, AUDITEUR, ADMIN})
DEPARTMENT_ROLES = frozenset({CHEF, GESTIONNAIRE})

# Confidentiality levels, from the lowest to the highest.
NIVEAUX = ("Normal", "Confidentiel", "Secret")

WORKFLOW_STATES = [
	"Enregistré",
	"Chez le SG",
	"Imputé",
	"En traitement",
	"Traité",
	"Classé",
	"Brouillon",
	"En validation",
	"Validé",
	"Expédié",
]
WORKFLOW_ACTIONS = [
	"Transmettre au SG",
	"Imputer",
	"Renvoyer au bureau du courrier",
	"Classer",
	"Mettre en traitement",
	"Réimputer",
	"Marquer comme traité",
	"Reprendre",
	"Soumettre pour validation",
	"Valider",
	"Rejeter",
	"Expédier",
]
