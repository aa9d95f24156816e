"""``python -m lagebild`` runs the command line."""

from lagebild.cli import app

app(prog_name="lagebild")
