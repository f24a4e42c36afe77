import pytest
from jamaat.core.tests import test_access_matrix as m

MINE = ("<slug>/acts/", "<slug>/deputies/", "<slug>/manage/acts", "<slug>/manage/mandates",
        "<slug>/manage/deputies", "<slug>/tos/", "<slug>/manage/tos", "api/v1/municipalities/<slug>/acts/")

def test_mine():
    routes = {r: cb for r, cb in m._routes().items() if r.startswith(MINE)}
    assert len(routes) == 20, sorted(routes)
    methods = {}
    for row in m.MATRIX:
        methods.setdefault(row.route, set()).add(row.method)
    for route, cb in routes.items():
        assert "GET" in methods.get(route, set()), route
        if not route.startswith("api/") and m._handles_post(cb):
            assert "POST" in methods[route], route
    print(sorted((r, sorted(methods[r])) for r in routes))
