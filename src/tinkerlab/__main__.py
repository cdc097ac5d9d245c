"""``python -m tinkerlab`` runs the command line."""

from tinkerlab.cli import main

main()
