"""The body of `dispatch plan`: read a scenario file, plan, print the JSON answer (exit 2 on a bad file).

Two doors lead here: `flask dispatch plan` (cli.py, inside the web app's command line) and
`python -m relief_stock.dispatch plan` (__main__.py), which starts without building the web app (on
the national preset, importing every domain and creating the app costs more than planning).
"""

import json
import sys

from . import scenario as scenario_io
from .planner import plan


def run(path: str, explain: bool = False, stdout=None, stderr=None) -> int:
    """Plan the scenario at `path` ("-": stdin); the exit code (0, or 2 for a malformed file)."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        if path == "-":
            try:
                data = json.load(sys.stdin)
            except json.JSONDecodeError as error:
                raise scenario_io.ScenarioError(f"not valid JSON: {error}", field="file") from error
            scenario = scenario_io.load(data)
        else:
            scenario = scenario_io.load_file(path)
    except scenario_io.ScenarioError as error:
        print(f"error: {error.message.removeprefix('invalid scenario: ')}", file=stderr)
        for field, messages in sorted((error.errors or {}).items()):
            print(f"  {field}: {' '.join(messages)}", file=stderr)
        return 2
    print(
        json.dumps(scenario_io.plan_output(plan(scenario), explain=explain), ensure_ascii=False), file=stdout
    )
    return 0
