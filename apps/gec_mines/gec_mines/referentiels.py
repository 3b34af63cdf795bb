"""The master data as this site holds it now (core/referentiels.py declares what install seeds)."""

import frappe

STATUTS_CACHE = "gec_statuts"


def statuts_for_boot() -> dict:
	"""Label and colour of every status, for the list indicators."""
	return frappe.cache.get_value(
		STATUTS_CACHE,
		lambda: {
			s.name: {"libelle": s.libelle, "couleur": s.couleur}
			for s in frappe.get_all("Statut Courrier", fields=["name", "libelle", "couleur"])
		},
	)
