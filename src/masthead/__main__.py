"""``python -m masthead``: the ``masthead`` command."""

from .cli import main

main()
