"""The map page on a small city in the real Neo4j: places named, districts outlined and named
beneath the dots, a scale bar in kilometres, a plate's route numbered in time order with
Beijing times and arrows and the map zoomed to it, and a chosen place ringed on the map with
its passages listed for the window, in the chosen language."""

from __future__ import annotations

import json
import math

import pyarrow as pa
import pytest

from synth.geography import distance_km
from tests.geo_graph import DAY, GUARD_PHONE, GUARDED_GATE, PLATE, seed
from tests.workbench.conftest import audit_events, one_page
from workbench.context import LANGUAGE_KEY
from workbench.display import md_escape
from workbench.geo_chart import bearing, scale_bar, scale_bar_km

TIMES = [time[11:16] for _, time, _ in DAY]  # Beijing wall-clock, as written


@pytest.fixture
def city(app_env, empty_graph):
    return seed(empty_graph)


@pytest.fixture(params=["graph", "store"])
def any_city(request):
    """The city with its passages as Passage nodes (`goldenbell ingest`), then in the event store."""
    return request.getfixturevalue("city" if request.param == "graph" else "stored_city")


def spec(at) -> dict:
    return json.loads(at.get("vega_lite_chart")[0].proto.spec)


def chart(at) -> tuple[list[dict], dict[str, list[dict]]]:
    """The page's map as the browser gets it: every single-view layer in the order drawn (the
    first at the bottom), and each data set's rows."""
    proto = at.get("vega_lite_chart")[0].proto
    datasets = {ds.name: pa.ipc.open_stream(ds.data.data).read_all().to_pylist() for ds in proto.datasets}
    layers, todo = [], [json.loads(proto.spec)]
    while todo:
        layer = todo.pop(0)
        # A layer inherits its parent's data (Altair lifts shared data up to the parent).
        children = [{"data": layer["data"], **child} if "data" in layer else child for child in layer.get("layer", [])]
        todo = children + todo
        if "mark" in layer:
            layers.append(layer)
    return layers, datasets


def chart_layers(at) -> list[dict]:
    return chart(at)[0]


def texts(at) -> list[str]:
    """Every text the map writes."""
    layers, datasets = chart(at)
    found = []
    for layer in layers:
        field = layer.get("encoding", {}).get("text", {}).get("field")
        if field and layer.get("data", {}).get("name") in datasets:
            found += [str(row[field]) for row in datasets[layer["data"]["name"]]]
    return found


def open_map(lang: str = "zh", user: str = "ana"):
    at = one_page("map", user=user)
    at.session_state[LANGUAGE_KEY] = lang
    return at.run()


def test_places_and_districts_are_named_and_outlined_with_a_scale(city):
    at = open_map()
    assert not at.exception
    words = texts(at)
    assert {"南湖一号检查站", "秀洲二号检查站", "平湖三号检查站", "锦绣花园"} <= set(words)
    assert "锦绣花园南门" not in words, "a gate shows its name on hover, not over its compound's"
    assert {"南湖区", "秀洲区", "平湖市"} <= set(words), "district names"
    assert any(word.endswith(" 公里") for word in words), "the scale bar says kilometres"
    outlines = [
        layer for layer in chart_layers(at) if layer.get("encoding", {}).get("detail", {}).get("field") == "district"
    ]
    assert outlines, "district outlines are drawn"
    english = texts(open_map("en"))
    assert any(word.endswith(" km") for word in english) and not any("公里" in word for word in english)
    assert "fit" not in spec(at)["projection"], "without a route the map shows the whole city"


def test_district_names_lie_beneath_the_dots_and_their_names(city):
    layers = chart_layers(open_map())

    def first(found) -> int:
        return next(i for i, layer in enumerate(layers) if found(layer.get("encoding", {})))

    outlines = first(lambda enc: enc.get("detail", {}).get("field") == "district")
    district_names = first(lambda enc: enc.get("text", {}).get("field") == "district")
    dots = first(lambda enc: "size" in enc)
    place_names = first(lambda enc: enc.get("text", {}).get("field") == "name")
    assert outlines < district_names < dots < place_names


def test_the_scale_bar_is_as_long_as_it_says_at_its_latitude():
    bar, words = scale_bar(120.3, 121.3, 30.35, 31.05, "zh")
    points = bar.to_dict()["datasets"]
    line = next(iter(points.values()))
    start, end = line[1], line[2]
    km = scale_bar_km(distance_km(start["latitude"], 120.3, start["latitude"], 121.3))
    assert km == 10
    assert math.isclose(
        distance_km(start["latitude"], start["longitude"], end["latitude"], end["longitude"]), km, rel_tol=0.01
    )
    assert next(iter(words.to_dict()["datasets"].values()))[0]["text"] == "10 公里"


def test_a_plate_draws_its_route_numbered_in_time_order_with_times(any_city, audit_path):
    at = open_map()
    at.text_input(key="gb_geo_plate").set_value(PLATE).run()
    assert not at.exception
    assert at.date_input(key="gb_geo_days").value == (
        __import__("datetime").date(2025, 2, 23),
        __import__("datetime").date(2025, 3, 1),
    ), "the window moves to the plate's last week"
    table = at.dataframe[0].value
    assert list(table.columns) == ["序号", "时间", "地点", "方向"]
    assert list(table["序号"]) == [1, 2, 3, 4]
    assert [when[11:16] for when in table["时间"]] == TIMES, "Beijing time, in time order"
    assert list(table["地点"]) == ["南湖一号检查站", "锦绣花园南门", "秀洲二号检查站", "南湖一号检查站"]
    labels = [word for word in texts(at) if "  03-01 " in word]
    assert "1  03-01 07:50\n4  03-01 18:40" in labels, "a place visited twice lists both stops"
    assert "2  03-01 08:30" in labels and "3  03-01 12:05" in labels
    arrows = [layer for layer in chart_layers(at) if "angle" in layer.get("encoding", {})]
    assert len(arrows) == 1, "one arrow per leg, turned the way the car went"
    (west, south), (east, north) = spec(at)["projection"]["fit"]["geometry"]["coordinates"]
    # The route runs from 秀洲二号检查站 (120.66, 30.80) to 锦绣花园南门 (120.821, 30.719).
    assert west < 120.66 and east > 120.821 and south < 30.719 and north > 30.80, "the route, with a margin"
    assert east < 121.05, "not the whole city: 平湖三号检查站 lies outside the view"
    assert all(layer["mark"]["clip"] for layer in chart_layers(at)), "nothing is drawn outside the view"
    assert any(word.endswith(" 公里") for word in texts(at)), "the scale bar is inside the view"
    assert any(event["query_id"] == "vehicles.trajectory" for event in audit_events(audit_path))


def test_a_short_plate_is_told_in_the_page_language(city):
    at = open_map("en")
    at.text_input(key="gb_geo_plate").set_value("浙F12").run()
    assert not at.exception and not at.error
    assert [w.value for w in at.warning] == ["A plate has at least 7 characters, e.g. 浙F12345."]


def test_a_typed_plate_is_shown_as_typed_never_as_a_link(city):
    at = open_map()
    typed = "[浙F](http://x.example)"[:12]
    at.text_input(key="gb_geo_plate").set_value(typed).run()
    assert [box.value for box in at.info] == [md_escape(f"“{typed}”在这段时间没有带坐标的过车记录。")]


def test_an_arrow_points_the_way_driven():
    assert math.isclose(bearing(120.0, 30.0, 120.0, 30.1), 0.0, abs_tol=1e-9), "north"
    assert math.isclose(bearing(120.0, 30.0, 120.1, 30.0), 90.0), "east"
    assert math.isclose(abs(bearing(120.1, 30.0, 120.0, 30.0)), 90.0)


def test_a_picked_place_lists_its_passages_in_the_window(any_city, audit_path):
    at = open_map("en", user="ana")
    at.text_input(key="gb_geo_plate").set_value(PLATE).run()
    at.selectbox(key="gb_geo_place").set_value("Checkpoint:JCZ1").run()
    assert not at.exception
    listed = at.dataframe[1].value
    assert list(listed.columns) == ["Time", "Plate", "Place", "Direction", "Lane"]
    assert list(listed["Time"]) == ["2025-03-01 18:40:00", "2025-03-01 09:00:00", "2025-03-01 07:50:00"]
    assert list(listed["Plate"]) == [PLATE, "浙F99999", PLATE]
    assert any("3 passages in the window" in caption.value for caption in at.caption)
    layers, datasets = chart(at)
    [ring] = [i for i, layer in enumerate(layers) if "description" in layer.get("encoding", {})]
    assert [row["said"] for row in datasets[layers[ring]["data"]["name"]]] == ["Chosen place: 南湖一号检查站"]
    assert ring > next(i for i, layer in enumerate(layers) if "size" in layer.get("encoding", {})), "over the dots"
    event = [e for e in audit_events(audit_path) if e["action"] == "map.place_passages"][-1]
    assert event["entities"] == ["Checkpoint:JCZ1"] and event["user"] == "ana" and event["case_ref"]
    at.selectbox(key="gb_geo_place").set_value("Compound:XQ1").run()
    gates = list(at.dataframe[1].value["Place"])
    assert gates[1] == "锦绣花园南门", "a compound lists its gates' passages, by gate name"
    assert GUARD_PHONE not in gates[0] and GUARD_PHONE[-4:] in gates[0], "a phone in a name is masked for an analyst"


def test_places_are_sized_by_their_passages_wherever_passages_are_kept(any_city):
    _, datasets = chart(open_map())
    sizes = {row["name"]: row["passages"] for rows in datasets.values() for row in rows if "passages" in row}
    assert sizes["南湖一号检查站"] == 3 and sizes["秀洲二号检查站"] == 2 and sizes["平湖三号检查站"] == 0
    assert sizes["锦绣花园南门"] == 1


def test_a_supervisor_sees_the_phone_in_a_gate_name(city):
    at = open_map(user="sup")
    at.selectbox(key="gb_geo_place").set_value("Compound:XQ1").run()
    assert GUARDED_GATE in list(at.dataframe[0].value["地点"])
