import frappe

from gec_mines.referentiels import statuts_for_boot


def boot_session(bootinfo):
	"""What the desk needs before the first form opens: numbering mode and status colours."""
	if frappe.session.user == "Guest":
		return
	bootinfo.gec_numbering_mode = (
		frappe.db.get_single_value("GEC Settings", "mode_numerotation") or "Automatique"
	)
	bootinfo.gec_statuts = statuts_for_boot()
