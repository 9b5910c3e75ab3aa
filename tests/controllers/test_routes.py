"""Route matching as the platform's exec route does it, and the clashes it leaves to chance."""
from dataclasses import dataclass

from plugin_studio.db.controllers import route_path_problem as check_route_path
from plugin_studio.models.routes import (
    admin_route_clashes, match_path, match_route, method_problem, route_clashes,
)


@dataclass
class Ctrl:
    controller_name: str
    method: str
    path: str
    is_enabled: bool | None = True


def test_parameters_are_captured_segment_by_segment_and_empty_segments_ignored():
    assert match_path("/visits/:id", "/visits/42") == {"id": "42"}
    assert match_path("/visits/:id/items/:item", "visits/7/items/x/") == {"id": "7", "item": "x"}
    assert match_path("/visits/:id", "/visits") is None
    assert match_path("/visits/:id", "/visits/1/2") is None


def test_an_exact_route_answers_before_a_parameterised_one_whatever_the_row_order():
    rows = [Ctrl("one", "GET", "/visits/:id"), Ctrl("stats", "GET", "/visits/stats")]
    found = match_route(rows, "GET", "/visits/stats")
    assert found.route.controller_name == "stats" and found.params == {}
    assert match_route(rows, "GET", "/visits/9").route.controller_name == "one"


def test_only_enabled_rows_of_the_exact_method_string_answer():
    rows = [Ctrl("off", "GET", "/a", False), Ctrl("null", "GET", "/b", None), Ctrl("lower", "get", "/c")]
    assert match_route(rows, "GET", "/a") is None
    assert match_route(rows, "GET", "/b") is None
    assert match_route(rows, "GET", "/c") is None
    assert "never answers" in method_problem("get")
    assert method_problem("GET") is None


def test_same_path_same_method_clashes_and_other_parameter_names_are_the_same_path():
    rows = [Ctrl("a", "GET", "/visits/:id"), Ctrl("b", "GET", "/visits/:visitId"), Ctrl("c", "POST", "/visits/:id"),
            Ctrl("d", "GET", "/visits/stats"), Ctrl("e", "GET", "/visits/:id", False)]
    [clash] = route_clashes(rows)
    assert (clash.first.controller_name, clash.second.controller_name, clash.kind) == ("a", "b", "same")
    assert "a and b both answer GET /visits/:id" in clash.message


def test_two_parameterised_routes_that_match_one_request_overlap():
    [clash] = route_clashes([Ctrl("x", "GET", "/a/:x/c"), Ctrl("y", "GET", "/a/b/:y")])
    assert clash.kind == "overlap"


def test_route_paths_are_checked():
    assert check_route_path("/visits/:id") is None
    assert "starts with /" in check_route_path("visits")
    assert "query string" in check_route_path("/v?x=1")
    assert "parameter name" in check_route_path("/v/:")


def test_admin_routes_clash_across_plugins():
    @dataclass
    class Page:
        plugin_name: str
        page_key: str
        route: str
    [clash] = admin_route_clashes([Page("A", "stats", "/admin/stats"), Page("B", "numbers", "/admin/stats"),
                                   Page("B", "other", "/admin/other")])
    assert "A: stats and B: numbers both use the admin route /admin/stats" in clash.message
