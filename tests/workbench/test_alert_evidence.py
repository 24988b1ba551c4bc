"""An alert raised on the event store opens, in the inbox, into the passages behind it: read
back from the store when asked, in time order and Beijing time, the place by name, the
source file and row, the captured driver's ID masked for an analyst; recorded as a
consultation. An alert raised on Passage nodes offers no such button."""

from __future__ import annotations

from queries.alerts import Hit, store
from tests.geo_graph import DRIVER, GUARD_PHONE, OTHER_PLATE, PLATE
from tests.workbench.conftest import audit_events, one_page

ALERT = "evidence-test"
# Passage IDs of tests/geo_graph.py: P0 is PLATE at 07:50, P5 OTHER_PLATE at 09:00 (with its
# driver), P6 OTHER_PLATE at the guarded gate at 10:00; P99 was never stored.
EVIDENCE = ("P6", "P0", "P5", "P99")


def raise_alert(gateway) -> None:
    vehicle = gateway.read(
        "test.vehicle", "MATCH (v:Vehicle {plate: $plate}) RETURN elementId(v) AS id", {"plate": OTHER_PLATE}
    ).records[0]["id"]
    entity = {"label": "Vehicle", "key": OTHER_PLATE, "role": "vehicle", "element_id": vehicle}
    hit = Hit(ALERT, "vehicles.cloned_plates", "套牌嫌疑", [entity], "clone suspect", "high", EVIDENCE)
    store(gateway, [hit], run_id="test")


def opened(user: str, lang: str = "zh"):
    at = one_page("alerts", user=user)
    at.session_state["gb_lang"] = lang
    at.session_state[f"gb_alert_box_{ALERT}"] = True
    at.run()
    assert not at.exception, at.exception
    return at


def read_evidence(at):
    # Clicked in Chinese: AppTest formats the page's other widgets outside the app's
    # language context, so a rerun in English fails on their choices, not on this page.
    [button] = [b for b in at.button if b.key == f"gb_alert_evidence_read_{ALERT}"]
    at = button.click().run()
    assert not at.exception, at.exception
    return at


def test_the_passages_behind_an_alert_open_from_the_store(stored_city, audit_path):
    raise_alert(stored_city)
    english = opened("ana", "en")
    assert [b.label for b in english.button if b.key == f"gb_alert_evidence_read_{ALERT}"] == ["Passages behind it (4)"]
    at = opened("ana")
    assert len(at.dataframe) == 1, "only who is involved: nothing is read before it is asked for"
    at = read_evidence(at)
    table = at.dataframe[1].value
    assert list(table.columns) == ["过车时间", "号牌", "地点", "方向", "车道", "核录身份证号", "来源文件:行"]
    assert list(table["过车时间"]) == ["2025-03-01 07:50:00", "2025-03-01 09:00:00", "2025-03-01 10:00:00"]
    assert list(table["号牌"]) == [PLATE, OTHER_PLATE, OTHER_PLATE]
    assert list(table["地点"])[:2] == ["南湖一号检查站", "南湖一号检查站"]
    gate = list(table["地点"])[2]
    assert GUARD_PHONE not in gate and GUARD_PHONE[-4:] in gate, "a phone in a place name is masked for an analyst"
    driver = list(table["核录身份证号"])[1]
    assert driver and driver != DRIVER and driver[-4:] == DRIVER[-4:], "the driver's ID reaches an analyst masked"
    assert table["来源文件:行"].iloc[0].startswith("checkpoint_passages.csv:")
    assert "/" not in "".join(table["来源文件:行"]), "the file's name, not the server's path to it"
    assert any("预警依据的 3 条过车记录" in c.value for c in at.caption)
    [event] = [e for e in audit_events(audit_path) if e["action"] == "alert.evidence"]
    assert event["user"] == "ana" and event["case_ref"] and event["rows"] == 3
    assert "1 no longer in the store" in event["message"]
    assert set(event["entities"]) == {f"Vehicle:{PLATE}", f"Vehicle:{OTHER_PLATE}"}


def test_a_supervisor_sees_the_driver_and_is_recorded_as_the_reader(stored_city, audit_path):
    raise_alert(stored_city)
    at = read_evidence(opened("sup"))
    assert DRIVER in list(at.dataframe[1].value["核录身份证号"])
    [event] = [e for e in audit_events(audit_path) if e["action"] == "alert.evidence"]
    assert event["user"] == "sup" and event["reason"] == "fugitive_search"


def test_an_alert_without_stored_passages_offers_none(app_env, empty_graph):
    from tests.workbench.test_alert_inbox import shared_phone_alert

    alert_id = shared_phone_alert(empty_graph)
    at = one_page("alerts", user="sup")
    at.session_state[f"gb_alert_box_{alert_id}"] = True
    at.run()
    assert not at.exception
    assert not [b for b in at.button if (b.key or "").startswith("gb_alert_evidence_read_")]
