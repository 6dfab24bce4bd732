"""`flask demo …` commands."""

import click

demo_cli = click.Group("demo", help="Load demo data or generate a synthetic catalogue.")
