from tests.fuzz import world as fuzz_world


def test_debug(app, session):
    walk = fuzz_world.build(app, session)
    c = walk.clients["producer"]
    pid = walk.path_values["producer_id"][0]
    eid = walk.path_values["exhibitor_id"][0]
    for data in [
        {"description": "x" * 10000},
        {"description": "ok", "products": "-1"},
        {"description": "ok", "products": "99"},
    ]:
        data["csrf_token"] = walk.tokens["producer"]
        r = c.post(f"/producer/{pid}/fairs/{eid}", data=data)
        print("STATUS", r.status_code)
