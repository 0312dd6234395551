"""`python -m gigsim.cli`: the `gigsim` command."""

from gigsim.cli import main

main()
