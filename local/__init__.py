"""The local stack (moto + a template-driven gateway). Importing it makes the Lambda handler packages importable."""

from .bundle import add_handler_path

add_handler_path()
