# Packaging lives in pyproject.toml (flit_core), as in every Frappe v15 app.
# This shim only serves tools that still run `python setup.py ...`.
from setuptools import setup

setup()
