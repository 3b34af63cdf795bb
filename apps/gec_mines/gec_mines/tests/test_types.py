"""The typed controllers: each DocType's generated type block matches its JSON.

`export_python_type_annotations` keeps the blocks up to date only when a DocType is saved in the
desk in developer mode; a JSON edited by hand leaves its block behind. Regenerate them with
`bench --site SITE execute gec_mines.tests.test_types.regenerate`.
"""

import ast
import textwrap

import frappe
from frappe.types.exporter import TypeExporter, end_block, start_block

from gec_mines.tests.utils import GECTestCase

MODULE = "GEC Mines"


def exporters() -> list[TypeExporter]:
	return [
		TypeExporter(frappe.get_doc("DocType", name))
		for name in frappe.get_all("DocType", filters={"module": MODULE, "custom": 0}, pluck="name")
	]


def declarations(code: str) -> list[str]:
	"""The `field: type` lines of a type block, whatever line wrapping the formatter chose."""
	start, end = code.find(start_block), code.find(end_block)
	if start < 0 or end < 0:
		return []
	tree = ast.parse(textwrap.dedent(code[code.rfind("\n", 0, start) + 1 : end]))
	return sorted(ast.unparse(node) for node in ast.walk(tree) if isinstance(node, ast.AnnAssign))


def regenerate():
	for exporter in exporters():
		exporter.export_types()


class TestTypeBlocks(GECTestCase):
	def test_every_doctype_has_its_type_block_up_to_date(self):
		stale = []
		for exporter in exporters():
			exporter._guess_indentation()
			expected = declarations(exporter._generate_code())
			if not expected or declarations(exporter.controller_path.read_text()) != expected:
				stale.append(exporter.doctype)
		self.assertEqual(
			stale, [], "regenerate: bench --site SITE execute gec_mines.tests.test_types.regenerate"
		)
