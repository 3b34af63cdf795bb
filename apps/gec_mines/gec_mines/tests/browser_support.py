"""Called by scripts/test.sh on the throwaway test site before the browser tests."""

import frappe

from gec_mines.tests.utils import make_user

CLERK = "agent.navigateur@example.com"
# The people of the Circuit du Courrier walk-through (tests/browser/test_circuit.py).
CIRCUIT = {
	"sg.navigateur@example.com": ("GEC Secretaire General", None),
	"chef.jur.navigateur@example.com": ("GEC Chef Departement", "JUR"),
	"gest.jur.navigateur@example.com": ("GEC Gestionnaire", "JUR"),
	"gest.tech.navigateur@example.com": ("GEC Gestionnaire", "TECH"),
}


def create_test_users(password: str):
	make_user(CLERK, ["GEC Agent Courrier"])
	for email, (role, departement) in CIRCUIT.items():
		make_user(email, [role], departement)
	frappe.db.set_value("Departement", "JUR", "chef", "chef.jur.navigateur@example.com")
	for email in [CLERK, *CIRCUIT]:
		user = frappe.get_doc("User", email)
		user.new_password = password
		user.language = "fr"
		user.save(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: test bootstrap from the command line
