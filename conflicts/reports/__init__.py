"""Reports over a workshop: results, the HTML/Markdown report, the catalogue written back, and
the export formats (:mod:`conflicts.reports.export`). Reads :mod:`conflicts.workshops`; no module
of :mod:`conflicts.workshops` imports this package."""
