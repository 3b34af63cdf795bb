class DomainError(ValueError):
	"""A rule of the registry was broken.

	`code` names the rule (the Frappe layer maps it to a translated message) and
	`params` carries the values that message shows.
	"""

	def __init__(self, code: str, **params):
		super().__init__(code, params)
		self.code = code
		self.params = params
