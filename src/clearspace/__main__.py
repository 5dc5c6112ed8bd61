"""``python -m clearspace`` runs the CLI."""

from clearspace.cli.main import main

main()
