"""Install, migrate and uninstall steps, the master data they seed, and the demo data."""
