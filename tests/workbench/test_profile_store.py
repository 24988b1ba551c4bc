"""With passages in the event store, a vehicle's and a driver's profile still tell where they
were: the timeline merges the stored passages with the graph's own dated events, in time
order, each at its place by name, and the reading is recorded with the entity it names; a
known driver captured at the wheel is linked to the vehicle (DROVE) for the pivots."""

from __future__ import annotations

from access.actor import Actor
from ingest.passages import seen_at
from tests.geo_graph import DRIVER, EARLIER, OTHER_PLATE, PLATE
from tests.workbench.conftest import audit_events, one_page
from workbench import resources

ACTOR = Actor("sup", "supervisor", case_ref="JX-2025-0142", reason="fugitive_search")


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


def test_a_driver_is_linked_to_what_he_drove_and_his_timeline_says_where(stored_city):
    stored_city.write("test.driver", "CREATE (:Person {id_number: $id, name: '测试驾驶人'})", {"id": DRIVER})
    store = resources.workspace().events
    # Known now: the next import (here, the refresh it ends with) links him to the vehicle.
    refreshed = seen_at.refresh(stored_city, store, [r.sha256 for r in store.receipts()], run_id="test")
    assert refreshed.drives == 1
    pivots = resources.workspace().runner.run("links.pivots", {"start": f"Person:{DRIVER}"}, actor=ACTOR)
    [drove] = [row for row in pivots.rows if row["link"] == "DROVE"]
    assert drove["target"] == f"Vehicle:{OTHER_PLATE}" and drove["times"] == 1
    table = timeline("sup", f"Person:{DRIVER}")
    passages = table[table["事件"] == "过车"]
    assert list(passages["详情"]) == ["南湖一号检查站"], f"{OTHER_PLATE}'s checkpoint passage, with his ID captured"
