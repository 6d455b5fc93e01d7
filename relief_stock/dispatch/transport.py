"""Rule 4 of the planner: route fixed quantities at least ton-km, as a true optimum.

Each item is a transportation problem (depots with what they may ship, sites with what rules 1-3
allotted them). Items do not interact, so each is its own small linear programme, solved by HiGHS
with the simplex method (one block-diagonal programme for all items measured slower: the simplex
works on the whole basis at every step). A transportation matrix is totally unimodular, so with integer
supplies and demands the simplex vertex is integral; the answer is rounded and then *verified* in
integers (supplies, demands, objective against the LP optimum). Should that check ever fail, the same
model is solved again with integer variables: a plan never ships fractional tents.

Two exact reductions keep the programme small:
- Pruning. For a site j of an item with total allotment A, let K_j be the depots nearest to j whose
  supply adds up to at least A. Some optimal solution uses only arcs (d, j) with d in K_j: if a
  farther depot shipped to j, K_j would not be fully used (it holds >= A), so one of its depots has
  spare supply and is no farther; moving the flow there does not raise the cost.
- Column generation. The LP starts from the nearest few depots of every site (plus one expensive
  artificial arc per site, so it is always feasible) and adds the pruned arcs whose reduced cost,
  from the duals, is negative, until none is. No negative reduced cost left is the LP optimality
  certificate for the whole pruned programme, so the result is the optimum, not an approximation.
"""

import os
import sys
from dataclasses import dataclass

import numpy as np

_SILENCED = False
START_COVER = 2  # the first round gives each site the nearest depots holding twice its allotment
MAX_ROUNDS = 50


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
    """(source, sink, is_start) arrays of the arcs worth considering.

    `prune` off: every arc. On: the exact pruning of the module docstring. `is_start` marks each
    sink's nearest depots holding START_COVER times its own allotment: the first round's columns.
    """
    sources = np.flatnonzero(problem.supply > 0)
    sinks = np.flatnonzero(problem.demand > 0)
    if not len(sinks) or not len(sources):
        empty = np.empty(0, dtype=np.int64)
        return empty, empty, np.empty(0, dtype=bool)
    if not prune:
        grid_s, grid_t = np.meshgrid(sources, sinks, indexing="ij")
        return grid_s.ravel(), grid_t.ravel(), np.ones(grid_s.size, dtype=bool)
    total = int(problem.demand[sinks].sum())
    order = np.argsort(problem.cost[np.ix_(sources, sinks)], axis=0, kind="stable")
    cumulative = np.cumsum(problem.supply[sources][order], axis=0)
    arc_s, arc_t, start = [], [], []
    for column, j in enumerate(sinks):
        held = cumulative[:, column]
        cut = min(int(np.searchsorted(held, total)) + 1, len(sources))
        first = min(int(np.searchsorted(held, START_COVER * int(problem.demand[j]))) + 1, cut)
        arc_s.append(sources[order[:cut, column]])
        arc_t.append(np.full(cut, j))
        start.append(np.arange(cut) < first)
    return np.concatenate(arc_s), np.concatenate(arc_t), np.concatenate(start)


@dataclass
class _Programme:
    """One problem as an LP: arc columns (source row a, sink row b, cost) and row bounds."""

    a: np.ndarray
    b: np.ndarray
    cost: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    sink_rows: np.ndarray
    start: np.ndarray  # arcs of the first column-generation round


def _programme(problem: TransportProblem, prune: bool) -> _Programme:
    supply = np.asarray(problem.supply, dtype=np.int64)
    demand = np.asarray(problem.demand, dtype=np.int64)
    if demand.sum() > supply[supply > 0].sum():
        raise ValueError(f"demand {demand.sum()} exceeds supply {supply[supply > 0].sum()}")
    problem.supply, problem.demand = supply, demand
    src, dst, start = candidate_arcs(problem, prune)
    n_src = len(supply)
    return _Programme(
        src,
        n_src + dst,
        np.asarray(problem.cost, dtype=float)[src, dst],
        np.concatenate([np.full(n_src, -np.inf), demand.astype(float)]),
        np.concatenate([supply.astype(float), demand.astype(float)]),
        n_src + np.flatnonzero(demand > 0),
        np.flatnonzero(start),
    )


def solve(problems: list[TransportProblem], prune: bool = True) -> list[list[tuple[int, int, int]]]:
    """Optimal integral flows for every problem: per problem a list of (source, sink, quantity).

    Each problem is its own small LP (a block-diagonal whole is slower for the simplex method).
    `prune=False` hands the solver every arc at once (the benchmark's floor, the tests' check).
    Raises ValueError when a problem owes more than its sources hold (rules 1-3 never do that).
    """
    return [solve_one(problem, prune) for problem in problems]


def solve_one(problem: TransportProblem, prune: bool = True) -> list[tuple[int, int, int]]:
    prog = _programme(problem, prune)
    if not len(prog.cost):
        return []
    if prune:
        flow, chosen = _column_generation(prog, prog.start)
    else:
        chosen = np.arange(len(prog.cost))
        flow = _solve_lp(prog, chosen)
    if not _verified(flow, prog, chosen):
        flow = _solve_lp(prog, chosen, integral=True)
        if not _verified(flow, prog, chosen):
            raise SolverError("the transport solution is not integral and feasible")
    used = np.flatnonzero(flow.quantities > 0)
    arcs = chosen[used]
    return list(
        zip(
            prog.a[arcs].tolist(),
            (prog.b[arcs] - len(problem.supply)).tolist(),
            flow.quantities[used].tolist(),
        )
    )


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


def _column_generation(prog: _Programme, chosen: np.ndarray) -> tuple[_Flow, np.ndarray]:
    """Solve on `chosen`, add every arc the duals price below zero, repeat until none is."""
    import highspy

    highs = new_highs()
    highs.setOptionValue("solver", "simplex")
    # Primal simplex: added columns keep the basis primal feasible, so each round resumes from it.
    highs.setOptionValue("simplex_strategy", 4)
    highs.setOptionValue("presolve", "off")  # nothing to remove in a transportation LP; ~10% faster
    highs.passModel(_lp(prog, chosen, _artificial_cost(prog)))
    in_lp = np.zeros(len(prog.cost), dtype=bool)
    in_lp[chosen] = True
    order = [chosen]
    tolerance = 1e-9 * (1 + np.abs(prog.cost))
    for _ in range(MAX_ROUNDS):
        flow = _run(highs, len(prog.sink_rows))
        duals = np.asarray(highs.getSolution().row_dual)
        reduced = prog.cost - duals[prog.a] - duals[prog.b]
        entering = np.flatnonzero(~in_lp & (reduced < -tolerance))
        if not len(entering):
            return flow, np.concatenate(order)
        in_lp[entering] = True
        order.append(entering)
        n = len(entering)
        index = np.column_stack([prog.a[entering], prog.b[entering]]).ravel().astype(np.int32)
        highs.addCols(
            n,
            prog.cost[entering],
            np.zeros(n),
            np.full(n, highspy.kHighsInf),
            2 * n,
            np.arange(0, 2 * n, 2, dtype=np.int32),
            index,
            np.ones(2 * n),
        )
    raise SolverError("column generation did not converge")


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
