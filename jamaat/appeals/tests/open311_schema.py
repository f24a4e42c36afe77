"""Validators written from the GeoReport v2 field definitions (wiki.open311.org/GeoReport_v2).

Each `check_*` raises AssertionError naming the offending field.
"""

import re

W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")

SERVICE = {
    "service_code": (str, True),
    "service_name": (str, True),
    "description": (str, False),
    "metadata": (bool, True),
    "type": (str, True),
    "keywords": (str, False),
    "group": (str, False),
}
REQUEST = {
    "service_request_id": (str, True),
    "status": (str, True),
    "status_notes": (str, False),
    "service_name": (str, False),
    "service_code": (str, True),
    "description": (str, False),
    "agency_responsible": (str, False),
    "service_notice": (str, False),
    "requested_datetime": ("datetime", True),
    "updated_datetime": ("datetime", False),
    "expected_datetime": ("datetime", False),
    "address": (str, False),
    "address_id": (str, False),
    "zipcode": (str, False),
    "lat": (float, False),
    "long": (float, False),
    "media_url": (str, False),
}


def _field(obj, name, kind, required, where):
    assert isinstance(obj, dict), f"{where}: not an object"
    if required:
        assert name in obj and obj[name] not in (None, ""), f"{where}: {name} is required"
    value = obj.get(name)
    if value is None:
        return
    if kind == "datetime":
        assert isinstance(value, str) and W3C.match(value), f"{where}: {name}={value!r} not W3C"
    elif kind is float:
        assert isinstance(value, int | float), f"{where}: {name} must be a number"
    else:
        assert isinstance(value, kind), f"{where}: {name} must be {kind.__name__}"


def _no_extra(obj, allowed, where):
    extra = set(obj) - set(allowed)
    assert not extra, f"{where}: fields not in GeoReport v2: {sorted(extra)}"


def check_services(data):
    assert isinstance(data, list), "services: must be a list"
    for i, s in enumerate(data):
        for name, (kind, req) in SERVICE.items():
            _field(s, name, kind, req, f"services[{i}]")
        _no_extra(s, SERVICE, f"services[{i}]")
        assert s["type"] in ("realtime", "batch", "blackbox"), f"services[{i}]: type"


def check_service_definition(data):
    assert isinstance(data, dict), "definition: must be an object"
    _field(data, "service_code", str, True, "definition")
    assert isinstance(data.get("attributes"), list), "definition: attributes must be a list"
    for i, a in enumerate(data["attributes"]):
        for name in ("variable", "code", "datatype", "required", "order", "description"):
            assert name in a, f"attributes[{i}]: {name} is required"
        assert a["datatype"] in (
            "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist",
        ), f"attributes[{i}]: datatype"  # fmt: skip


def check_requests(data):
    assert isinstance(data, list), "service_requests: must be a list"
    for i, r in enumerate(data):
        where = f"service_requests[{i}]"
        for name, (kind, req) in REQUEST.items():
            _field(r, name, kind, req, where)
        _no_extra(r, REQUEST, where)
        assert r["status"] in ("open", "closed"), f"{where}: status must be open or closed"


def check_post_response(data):
    assert isinstance(data, list) and len(data) == 1, "POST response: a list of one"
    r = data[0]
    assert r.get("service_request_id") or r.get("token"), "service_request_id or token required"
    for name in ("service_request_id", "token", "service_notice", "account_id"):
        if r.get(name) is not None:
            assert isinstance(r[name], str), f"POST response: {name} must be a string"
    _no_extra(r, ("service_request_id", "token", "service_notice", "account_id"), "POST response")


def check_errors(data):
    assert isinstance(data, list) and data, "errors: a non-empty list"
    for i, e in enumerate(data):
        assert set(e) == {"code", "description"}, f"errors[{i}]: code and description only"
        assert isinstance(e["code"], int) and 400 <= e["code"] < 600, f"errors[{i}]: numeric code"
        assert isinstance(e["description"], str) and e["description"], f"errors[{i}]: description"


def check_discovery(data):
    assert isinstance(data, dict), "discovery: must be an object"
    for name in ("changeset", "contact", "key_service", "endpoints"):
        assert name in data, f"discovery: {name} is required"
    assert W3C.match(data["changeset"]), "discovery: changeset must be W3C"
    assert isinstance(data["endpoints"], list) and data["endpoints"], "discovery: endpoints"
    for i, e in enumerate(data["endpoints"]):
        for name in ("specification", "url", "changeset", "type", "formats"):
            assert name in e, f"endpoints[{i}]: {name} is required"
        assert e["type"] in ("production", "test"), f"endpoints[{i}]: type"
        assert isinstance(e["formats"], list) and e["formats"], f"endpoints[{i}]: formats"
