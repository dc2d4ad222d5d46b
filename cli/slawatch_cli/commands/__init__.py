"""The ``slawatch`` commands, one module each (pip's shape).

Each module defines ``NAME``, ``HELP``, ``register(subparsers)`` (its own sub-parser and arguments, ending in
``parser.set_defaults(run=run)``) and ``run(args) -> int``. A new command is a new module added to ``COMMANDS``,
whose order is the order of ``slawatch --help``.
"""

from . import completion, local, query, redrive, replay, scan, status, users

COMMANDS = (scan, status, query, replay, redrive, users, local, completion)
