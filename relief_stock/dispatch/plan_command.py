"""The body of `dispatch plan`: read a scenario file, plan, print the JSON answer (exit 2 on a bad file).

Two doors lead here: `flask dispatch plan` (cli.py, inside the web app's command line) and
`python -m relief_stock.dispatch plan` (__main__.py), which starts without building the web app (on
the national preset, importing every domain and creating the app costs more than planning).
"""

import sys

import msgspec

from . import scenario as scenario_io
from .planner import plan


def run(path: str, explain: bool = False, stdout=None, stderr=None) -> int:
    """Plan the scenario at `path` ("-": stdin); the exit code (0, or 2 for a malformed file)."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        if path == "-":
            stdin = getattr(sys.stdin, "buffer", None)
            content = stdin.read() if stdin is not None else sys.stdin.read().encode("utf-8")
            scenario = scenario_io.load_bytes(content)
        else:
            scenario = scenario_io.load_file(path)
    except scenario_io.ScenarioError as error:
        print(f"error: {error.message.removeprefix('invalid scenario: ')}", file=stderr)
        for field, messages in sorted((error.errors or {}).items()):
            print(f"  {field}: {' '.join(messages)}", file=stderr)
        return 2
    # msgspec writes the same JSON as json.dumps(ensure_ascii=False), several times faster.
    print(msgspec.json.encode(scenario_io.plan_output(plan(scenario), explain=explain)).decode(), file=stdout)
    return 0
