"""Rule 4 of the planner: route fixed quantities at least ton-km, as a true optimum.

Each item is a transportation problem (depots with what they may ship, sites with what rules 1-3
allotted them). Items do not interact, so each is its own min-cost flow over the arcs that matter,
solved exactly by OR-Tools' SimpleMinCostFlow (integral by construction: a plan never ships
fractional tents). Its answer is *verified* in integers (supplies, demands met, no artificial
shortfall); should that check ever fail, the same model is solved again by HiGHS with integer
variables.

Pruning keeps each problem small and is exact. For a site j of an item with total allotment A, let
K_j be the depots nearest to j whose supply adds up to at least A. Some optimal solution uses only
arcs (d, j) with d in K_j: if a farther depot shipped to j, K_j would not be fully used (it holds
>= A), so one of its depots has spare supply and is no farther; moving the flow there does not
raise the cost. `prune=False` gives HiGHS's simplex method every arc instead, an independent check.
"""

import os
import sys
from dataclasses import dataclass

import numpy as np

_SILENCED = False


@dataclass
class TransportProblem:
    """One item: `supply[i]` units at source i, `demand[j]` units owed to sink j, `cost[i, j]` per unit."""

    supply: np.ndarray
    demand: np.ndarray
    cost: np.ndarray


class SolverError(RuntimeError):
    """The solver failed or its answer did not verify: a bug or bad data, never silently accepted."""


def new_highs():
    """A quiet HiGHS instance. The first construction in a process prints a banner on the C-level
    stdout; it is swallowed so that `flask dispatch plan` prints nothing but its JSON."""
    global _SILENCED
    import highspy

    if _SILENCED:
        highs = highspy.Highs()
    else:
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        try:
            highs = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
        _SILENCED = True
    highs.setOptionValue("output_flag", False)
    return highs


def candidate_arcs(problem: TransportProblem, prune: bool = True):
    """(source, sink) arrays of the arcs worth considering: every arc, or the exact pruning of the
    module docstring."""
    sources = np.flatnonzero(problem.supply > 0)
    sinks = np.flatnonzero(problem.demand > 0)
    if not len(sinks) or not len(sources):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    if not prune:
        grid_s, grid_t = np.meshgrid(sources, sinks, indexing="ij")
        return grid_s.ravel(), grid_t.ravel()
    total = int(problem.demand[sinks].sum())
    order = np.argsort(problem.cost[np.ix_(sources, sinks)], axis=0, kind="stable")
    cumulative = np.cumsum(problem.supply[sources][order], axis=0)
    arc_s, arc_t = [], []
    for column, j in enumerate(sinks):
        cut = min(int(np.searchsorted(cumulative[:, column], total)) + 1, len(sources))
        arc_s.append(sources[order[:cut, column]])
        arc_t.append(np.full(cut, j))
    return np.concatenate(arc_s), np.concatenate(arc_t)


@dataclass
class _Programme:
    """One problem as an LP: arc columns (source row a, sink row b, cost) and row bounds."""

    a: np.ndarray
    b: np.ndarray
    cost: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    sink_rows: np.ndarray


def _programme(problem: TransportProblem, prune: bool) -> _Programme:
    supply = np.asarray(problem.supply, dtype=np.int64)
    demand = np.asarray(problem.demand, dtype=np.int64)
    if demand.sum() > supply[supply > 0].sum():
        raise ValueError(f"demand {demand.sum()} exceeds supply {supply[supply > 0].sum()}")
    problem.supply, problem.demand = supply, demand
    src, dst = candidate_arcs(problem, prune)
    n_src = len(supply)
    return _Programme(
        src,
        n_src + dst,
        np.asarray(problem.cost, dtype=float)[src, dst],
        np.concatenate([np.full(n_src, -np.inf), demand.astype(float)]),
        np.concatenate([supply.astype(float), demand.astype(float)]),
        n_src + np.flatnonzero(demand > 0),
    )


def solve(problems: list[TransportProblem], prune: bool = True) -> list[list[tuple[int, int, int]]]:
    """Optimal integral flows for every problem: per problem a list of (source, sink, quantity).

    `prune` (the planner): the pruned arcs go to a network-simplex-class min-cost-flow solver
    (OR-Tools SimpleMinCostFlow), exact on integer costs; distances are costed to COST_SCALE
    (a tenth of a metre), far below any difference between two roads. `prune=False` hands every
    arc to HiGHS's simplex method instead: an independent solver, for the tests' cross-check.
    Raises ValueError when a problem owes more than its sources hold (rules 1-3 never do that).
    """
    return [solve_one(problem, prune) for problem in problems]


COST_SCALE = 1e4  # integer cost units per km


def solve_one(problem: TransportProblem, prune: bool = True) -> list[tuple[int, int, int]]:
    prog = _programme(problem, prune)
    if not len(prog.cost):
        return []
    chosen = np.arange(len(prog.cost))
    flow = _min_cost_flow(prog) if prune else _solve_lp(prog, chosen)
    if not _verified(flow, prog, chosen):
        flow = _solve_lp(prog, chosen, integral=True)
        if not _verified(flow, prog, chosen):
            raise SolverError("the transport solution is not integral and feasible")
    used = np.flatnonzero(flow.quantities > 0)
    return list(
        zip(
            prog.a[used].tolist(),
            (prog.b[used] - len(problem.supply)).tolist(),
            flow.quantities[used].tolist(),
        )
    )


def _min_cost_flow(prog: _Programme) -> "_Flow":
    """The programme as a min-cost flow: sources supply, sinks demand, surplus stays at home."""
    from ortools.graph.python import min_cost_flow

    solver = min_cost_flow.SimpleMinCostFlow()
    n_rows = len(prog.lo)
    costs = np.rint(prog.cost * COST_SCALE).astype(np.int64)
    capacity = np.minimum(prog.hi[prog.a], prog.hi[prog.b]).astype(np.int64)
    # Only rows with an arc become nodes (stock rows with nothing to ship are many): the solver's
    # time grows with its node count.
    present = np.zeros(n_rows, dtype=bool)
    present[prog.a] = present[prog.b] = True
    nodes, node_of = np.flatnonzero(present), np.cumsum(present) - 1
    solver.add_arcs_with_capacity_and_unit_cost(node_of[prog.a], node_of[prog.b], capacity, costs)
    supply = np.where(np.isinf(prog.lo), prog.hi, -prog.hi).astype(np.int64)
    solver.set_nodes_supplies(np.arange(len(nodes)), supply[nodes])
    status = solver.solve_max_flow_with_min_cost()
    if status != solver.OPTIMAL:
        raise SolverError(f"min-cost flow: status {status}")
    quantities = solver.flows(np.arange(len(prog.cost))).astype(np.int64)
    delivered = np.bincount(prog.b, weights=quantities, minlength=n_rows)[prog.sink_rows]
    short = np.asarray(prog.hi[prog.sink_rows] - delivered, dtype=np.int64)
    return _Flow(quantities, short, float(prog.cost @ quantities))


def full_lp(problem: TransportProblem):
    """The problem as one HiGHS model with every arc: what the benchmark times as the floor."""
    prog = _programme(problem, prune=False)
    return _lp(prog, np.arange(len(prog.cost)), _artificial_cost(prog))


@dataclass
class _Flow:
    quantities: np.ndarray  # per chosen arc, rounded to integers
    artificial: np.ndarray  # per sink: flow on its artificial arc (must be 0)
    objective: float  # the solver's optimum


def _lp(prog: _Programme, chosen: np.ndarray, artificial_cost: float):
    """Columns: one artificial per sink row first (a single 1), then the chosen arcs (two 1s each)."""
    import highspy

    n_art, n = len(prog.sink_rows), len(chosen)
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_art + n, len(prog.lo)
    lp.col_cost_ = np.concatenate([np.full(n_art, artificial_cost), prog.cost[chosen]])
    lp.col_lower_ = np.zeros(n_art + n)
    lp.col_upper_ = np.full(n_art + n, highspy.kHighsInf)
    lp.row_lower_ = np.where(np.isinf(prog.lo), -highspy.kHighsInf, prog.lo)
    lp.row_upper_ = prog.hi
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    starts = np.concatenate([np.arange(n_art), n_art + np.arange(0, 2 * n + 1, 2)])
    lp.a_matrix_.start_ = starts.astype(np.int32)
    arcs = np.column_stack([prog.a[chosen], prog.b[chosen]]).ravel()
    lp.a_matrix_.index_ = np.concatenate([prog.sink_rows, arcs]).astype(np.int32)
    lp.a_matrix_.value_ = np.ones(n_art + 2 * n)
    return lp


def _artificial_cost(prog: _Programme) -> float:
    # Dearer than any augmenting path of real arcs (at most 2 per sink, plus one), so an artificial
    # arc carries flow only if the real arcs cannot meet the allotment, which _programme excludes.
    return float(prog.cost.max(initial=0.0) + 1.0) * (2 * len(prog.sink_rows) + 2)


def _run(highs, n_art: int) -> _Flow:
    import highspy

    highs.run()
    status = highs.getModelStatus()
    if status != highspy.HighsModelStatus.kOptimal:
        raise SolverError(f"HiGHS: {highs.modelStatusToString(status)}")
    values = np.rint(np.asarray(highs.getSolution().col_value)).astype(np.int64)
    return _Flow(values[n_art:], values[:n_art], highs.getInfo().objective_function_value)


def _solve_lp(prog: _Programme, chosen: np.ndarray, integral: bool = False) -> _Flow:
    import highspy

    highs = new_highs()
    lp = _lp(prog, chosen, _artificial_cost(prog))
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * lp.num_col_
    else:
        highs.setOptionValue("solver", "simplex")
    highs.passModel(lp)
    return _run(highs, len(prog.sink_rows))


def _verified(flow: _Flow, prog: _Programme, chosen: np.ndarray) -> bool:
    """No artificial flow; integral, feasible in exact integers, and as cheap as the LP optimum."""
    x = flow.quantities
    if (x < 0).any() or flow.artificial.any():
        return False
    rows = len(prog.lo)
    load = np.bincount(prog.a[chosen], weights=x, minlength=rows) + np.bincount(
        prog.b[chosen], weights=x, minlength=rows
    )
    if (load > prog.hi + 0.5).any() or (load < prog.lo - 0.5).any():
        return False
    objective = float(prog.cost[chosen] @ x)
    return objective <= flow.objective + 1e-7 * (1 + abs(flow.objective))
