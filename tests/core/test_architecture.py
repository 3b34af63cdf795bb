"""The app's import layers and its framework-free core, checked without Frappe (see the module)."""

from gec_mines.tests.test_architecture import TestArchitecture
