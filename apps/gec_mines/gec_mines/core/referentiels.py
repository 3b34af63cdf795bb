"""The registry's master data, declared once: statuses, document types, departments and the
DR Congo's public holidays. Install and migrate seed them, the demo and the legacy import draw on
them, tests count them. Plain data: no `import frappe` here."""

STATUTS = (
	# code, libellé, couleur, ordre
	("URGENT", "Urgent", "red", 0),
	("RECU", "Reçu", "blue", 1),
	("EN_COURS", "En cours", "yellow", 2),
	("TRAITE", "Traité", "green", 3),
	("ARCHIVE", "Archivé", "gray", 4),
)
STATUT_CODES = tuple(code for code, *_ in STATUTS)
DEFAULT_STATUT = "RECU"

TYPES = (
	# libellé, direction, délai en jours ouvrés, ordre
	("Note circulaire", "Sortant", 0, 1),
	("Note télégramme", "Sortant", 0, 2),
	("Lettre officielle", "Sortant", 0, 3),
	("Mémorandum", "Sortant", 0, 4),
	("Convocation", "Sortant", 0, 5),
	("Rapport", "Entrant et sortant", 10, 6),
	("Note de service", "Sortant", 0, 7),
	("Lettre", "Entrant", 10, 10),
	("Demande de permis minier", "Entrant", 30, 11),
	("Demande d'autorisation", "Entrant", 15, 12),
	("Réclamation", "Entrant", 10, 13),
	("Recours administratif", "Entrant", 30, 14),
	("Invitation", "Entrant", 5, 15),
	("Facture", "Entrant", 20, 16),
	("Autre", "Entrant et sortant", 10, 99),
)

DEPARTEMENTS = (
	("ADM", "Administration Générale"),
	("JUR", "Département Juridique"),
	("TECH", "Département Technique"),
	("FIN", "Département Financier"),
	("SG", "Secrétariat Général"),
)
DEPARTEMENT_CODES = tuple(code for code, _ in DEPARTEMENTS)

# The public holidays of the DR Congo that recur on the same day every year
# (loi n° 23/012 modifiant l'ordonnance-loi sur les jours fériés).
JOURS_FERIES_RDC = (
	(1, 1, "Nouvel An"),
	(1, 4, "Journée des Martyrs de l'indépendance"),
	(1, 16, "Journée du Héros national Laurent-Désiré Kabila"),
	(1, 17, "Journée du Héros national Patrice-Emery Lumumba"),
	(4, 6, "Journée du combat de Simon Kimbangu et de la conscience africaine"),
	(5, 1, "Fête du Travail"),
	(5, 17, "Journée de la Révolution et des Forces armées"),
	(6, 30, "Fête de l'Indépendance"),
	(8, 1, "Fête des Parents"),
	(8, 2, "Journée nationale de commémoration du génocide congolais (Genocost)"),
	(12, 25, "Noël"),
)
