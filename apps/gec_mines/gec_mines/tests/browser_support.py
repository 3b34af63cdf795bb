"""Called by scripts/test.sh on the throwaway test site before the browser tests."""

import frappe

from gec_mines.tests.utils import make_user

CLERK = "agent.navigateur@example.com"


def create_test_users(password: str):
	make_user(CLERK, ["GEC Agent Courrier"])
	user = frappe.get_doc("User", CLERK)
	user.new_password = password
	user.language = "fr"
	user.save(ignore_permissions=True)
	frappe.db.commit()  # nosemgrep: test bootstrap from the command line
