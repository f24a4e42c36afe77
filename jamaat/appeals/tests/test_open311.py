"""Open311 GeoReport v2: every endpoint and every error validated against the field definitions."""

import pytest

from jamaat.appeals import ratelimit, services
from jamaat.appeals.models import Appeal
from jamaat.appeals.tests import open311_schema as schema
from jamaat.municipalities.models import LocalIssue

B = "/open311/v2"


@pytest.fixture(autouse=True)
def _no_limit():
    ratelimit.reset("127.0.0.1")


@pytest.fixture
def appeal(mun_a):
    return services.register(
        mun_a, channel=Appeal.Channel.PAPER,
        category=LocalIssue.objects.get(municipality=mun_a, code="water"),
        text="Суу жок, жашыруун текст", applicant_name="Асель Секретова", phone="0555999888",
        email="asel@example.kg",
    )  # fmt: skip


def test_discovery(client, db):
    r = client.get(f"{B}/discovery.json")
    assert r.status_code == 200
    schema.check_discovery(r.json())


def test_services_one_per_active_local_issue(client, mun_a, mun_b):
    LocalIssue.objects.filter(municipality=mun_a, code="pastures").update(is_active=False)
    r = client.get(f"{B}/services.json", {"jurisdiction_id": "karool"})
    assert r.status_code == 200
    data = r.json()
    schema.check_services(data)
    codes = {s["service_code"] for s in data}
    assert "water" in codes and "pastures" not in codes
    assert len(codes) == LocalIssue.objects.filter(municipality=mun_a, is_active=True).count()


def test_jurisdiction_required_with_two_municipalities(client, mun_a, mun_b):
    r = client.get(f"{B}/services.json")
    assert r.status_code == 400
    schema.check_errors(r.json())
    assert "jurisdiction_id" in r.json()[0]["description"]
    r = client.get(f"{B}/services.json", {"jurisdiction_id": "nowhere"})
    assert r.status_code == 404
    schema.check_errors(r.json())


def test_jurisdiction_optional_with_one_municipality(client, mun_a):
    r = client.get(f"{B}/services.json")
    assert r.status_code == 200
    schema.check_services(r.json())


def test_service_definition(client, mun_a, mun_b):
    r = client.get(f"{B}/services/water.json", {"jurisdiction_id": "karool"})
    assert r.status_code == 200
    schema.check_service_definition(r.json())
    r = client.get(f"{B}/services/nope.json", {"jurisdiction_id": "karool"})
    assert r.status_code == 404
    schema.check_errors(r.json())


def test_xml_refused_in_open311_error_form(client, mun_a):
    for url in ("discovery.xml", "services.xml", "requests.xml", "services/water.xml"):
        r = client.get(f"{B}/{url}")
        assert r.status_code == 400, url
        schema.check_errors(r.json())
        assert "JSON" in r.json()[0]["description"]


def test_get_requests_hides_personal_data(client, mun_a, mun_b, appeal):
    r = client.get(f"{B}/requests.json", {"jurisdiction_id": "karool"})
    assert r.status_code == 200
    data = r.json()
    schema.check_requests(data)
    assert [d["service_request_id"] for d in data] == [appeal.number]
    assert data[0]["status"] == "open"
    body = r.content.decode()
    for secret in ("Асель", "0555999888", "asel@example.kg", "жашыруун", appeal.check_code):
        assert secret not in body
    # the other municipality sees none of A's requests
    assert client.get(f"{B}/requests.json", {"jurisdiction_id": "tokmok"}).json() == []


def test_get_requests_filters(client, mun_a, mun_b, appeal, people):
    services.answer(people["staff_a"], appeal, "Жооп")
    q = {"jurisdiction_id": "karool"}
    assert client.get(f"{B}/requests.json", q | {"status": "open"}).json() == []
    closed = client.get(f"{B}/requests.json", q | {"status": "closed"}).json()
    schema.check_requests(closed)
    assert closed[0]["status"] == "closed"
    assert client.get(f"{B}/requests.json", q | {"service_code": "roads"}).json() == []
    assert (
        len(client.get(f"{B}/requests.json", q | {"service_request_id": appeal.number}).json()) == 1
    )
    old = client.get(f"{B}/requests.json", q | {"end_date": "2020-01-01T00:00:00+06:00"})
    assert old.json() == []
    bad = client.get(f"{B}/requests.json", q | {"start_date": "yesterday"})
    assert bad.status_code == 400
    schema.check_errors(bad.json())
    assert "start_date" in bad.json()[0]["description"]
    bad = client.get(f"{B}/requests.json", q | {"status": "pending"})
    assert bad.status_code == 400
    schema.check_errors(bad.json())


def test_request_detail(client, mun_a, mun_b, appeal):
    r = client.get(f"{B}/requests/{appeal.number}.json", {"jurisdiction_id": "karool"})
    assert r.status_code == 200
    schema.check_requests(r.json())
    r = client.get(f"{B}/requests/{appeal.number}.json", {"jurisdiction_id": "tokmok"})
    assert r.status_code == 404
    schema.check_errors(r.json())


def test_post_creates_an_appeal(client, mun_a, mun_b):
    r = client.post(
        f"{B}/requests.json",
        {"jurisdiction_id": "karool", "service_code": "roads", "description": "Көпүрө бузулду",
         "email": "a@example.kg", "first_name": "Бакыт", "address_string": "Кароол-1, Ленин 5"},
    )  # fmt: skip
    assert r.status_code == 200
    data = r.json()
    schema.check_post_response(data)
    appeal = Appeal.objects.get(number=data[0]["service_request_id"])
    assert appeal.channel == "online" and appeal.category.code == "roads"
    assert appeal.language == "ky"  # Kyrgyz letters in the text
    assert appeal.village is not None
    detail = client.get(f"{B}/requests/{appeal.number}.json", {"jurisdiction_id": "karool"})
    schema.check_requests(detail.json())


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"description": "x", "email": "a@example.kg"}, "service_code"),
        ({"service_code": "roads", "email": "a@example.kg"}, "description"),
        ({"service_code": "roads", "description": "Жол"}, "email"),
        ({"service_code": "roads", "description": "Жол", "email": "not-an-email"}, "email"),
    ],
)
def test_post_errors_name_the_field(client, mun_a, mun_b, data, field):
    r = client.post(f"{B}/requests.json", {"jurisdiction_id": "karool", **data})
    assert r.status_code == 400
    schema.check_errors(r.json())
    assert r.json()[0]["code"] == 400  # numeric, as GeoReport v2 clients expect
    assert r.json()[0]["description"].startswith(field)
    assert Appeal.objects.count() == 0


def test_post_rate_limited(client, mun_a, settings):
    settings.APPEALS_SUBMIT_LIMIT = (2, 3600)
    data = {"service_code": "roads", "description": "Жол", "phone": "0555123456"}
    codes = [client.post(f"{B}/requests.json", data).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert Appeal.objects.count() == 2


def test_validators_catch_bad_documents():
    with pytest.raises(AssertionError, match="status"):
        schema.check_requests([{"service_request_id": "1", "status": "pending",
                                "service_code": "x", "requested_datetime": "2026-01-01T00:00:00Z"}])  # fmt: skip
    with pytest.raises(AssertionError, match="requested_datetime"):
        schema.check_requests([{"service_request_id": "1", "status": "open",
                                "service_code": "x", "requested_datetime": "2026-01-01 10:00"}])  # fmt: skip
    with pytest.raises(AssertionError, match="phone"):
        schema.check_requests([{"service_request_id": "1", "status": "open", "service_code": "x",
                                "requested_datetime": "2026-01-01T00:00:00Z", "phone": "1"}])  # fmt: skip
