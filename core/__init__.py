"""What every app of the portal builds on and that imports none of them: random codes
(``ids``), person-facing errors (``errors``), URL prefixes (``paths``), the database helpers
(``db``, ``compiled``), the one place for private APIs of libraries (``private_apis``), the
read-only admin and the request type. The wiring that imports the apps (URLs, navigation,
middleware, settings) is the ``portal`` package, at the top (README, "Imports go one way")."""
