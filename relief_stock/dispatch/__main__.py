"""`python -m relief_stock.dispatch plan SCENARIO.json [--explain]`: `flask dispatch plan` without the
web app (no database, no configuration needed); the same planner, output and exit codes."""

import argparse
import sys

from .plan_command import run


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m relief_stock.dispatch", description="Dispatch planning.")
    commands = parser.add_subparsers(dest="command", required=True)
    plan = commands.add_parser("plan", help="Plan shipments for a scenario file ('-' reads stdin).")
    plan.add_argument("path")
    plan.add_argument(
        "--explain", action="store_true", help="Also list every demand line with its limiting rule."
    )
    args = parser.parse_args(argv)
    return run(args.path, args.explain)


if __name__ == "__main__":
    sys.exit(main())
