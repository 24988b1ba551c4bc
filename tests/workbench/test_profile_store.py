"""With passages in the event store, a vehicle's and a driver's profile still tell where they
were: the timeline merges the stored passages with the graph's own dated events, in time
order, each at its place by name, and the reading is recorded with the entity it names."""

from __future__ import annotations

from tests.geo_graph import DRIVER, EARLIER, OTHER_PLATE, PLATE
from tests.workbench.conftest import audit_events, one_page


def timeline(user: str, ref: str):
    at = one_page("profile", user=user)
    at.session_state["gb_profile_ref"] = ref
    at.run()
    assert not at.exception, at.exception
    [table] = [frame.value for frame in at.dataframe if "事件" in frame.value.columns]
    return table


def test_a_vehicles_timeline_lists_its_stored_passages_in_time_order(stored_city, audit_path):
    table = timeline("ana", f"Vehicle:{PLATE}")
    passages = table[table["事件"] == "过车"]
    route = ["秀洲二号检查站", "南湖一号检查站", "锦绣花园南门", "秀洲二号检查站", "南湖一号检查站"]
    assert list(passages["详情"]) == route
    assert passages["时间"].iloc[0] == EARLIER[1][:16].replace("T", " "), "Beijing time, the earliest first"
    assert list(table["时间"]) == sorted(table["时间"]), "merged with the graph's events in time order"
    [entry] = [e for e in audit_events(audit_path) if e["action"] == "profile.passages"]
    assert entry["entities"] == [f"Vehicle:{PLATE}"] and entry["rows"] == 5 and entry["user"] == "ana"


def test_a_drivers_timeline_lists_where_a_checkpoint_captured_his_id(stored_city):
    stored_city.write("test.driver", "CREATE (:Person {id_number: $id, name: '测试驾驶人'})", {"id": DRIVER})
    table = timeline("sup", f"Person:{DRIVER}")
    passages = table[table["事件"] == "过车"]
    assert list(passages["详情"]) == ["南湖一号检查站"], f"{OTHER_PLATE}'s checkpoint passage, with his ID captured"
