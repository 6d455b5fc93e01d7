"""Road distances for the planner: great-circle distance times a road factor, or a loaded matrix.

Pure numpy, no app: the planner, the scenario CLI and the benchmark all measure distance here, so a
plan from a file and a plan from the database cost the same kilometres.
"""

import numpy as np

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
DEFAULT_ROAD_FACTOR = 1.3


def haversine_km(lat1, lng1, lat2, lng2):
    """Great-circle distance in km; broadcasts over numpy arrays."""
    lat1, lng1, lat2, lng2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lng1, lat2, lng2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def road_km_matrix(sources, targets, road_factor=DEFAULT_ROAD_FACTOR, matrix=None):
    """Road km from every source to every target, shape (len(sources), len(targets)).

    `sources`/`targets` are sequences of (id, lat, lng). `matrix` maps (source id, target id) -> km;
    a pair found there is taken as given (a measured road distance), every other pair is estimated
    as haversine x `road_factor`.
    """
    if not len(sources) or not len(targets):
        return np.zeros((len(sources), len(targets)))
    s = np.array([(lat, lng) for _, lat, lng in sources], dtype=float)
    t = np.array([(lat, lng) for _, lat, lng in targets], dtype=float)
    km = haversine_km(s[:, 0:1], s[:, 1:2], t[None, :, 0], t[None, :, 1]) * road_factor
    if matrix:
        row = {sid: i for i, (sid, _, _) in enumerate(sources)}
        col = {tid: j for j, (tid, _, _) in enumerate(targets)}
        for (sid, tid), value in matrix.items():
            if sid in row and tid in col:
                km[row[sid], col[tid]] = value
    return km
