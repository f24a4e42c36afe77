import time
import pytest

def test_people(people):
    pass

def test_plans(approved_plan_a, plan_b):
    pass

@pytest.mark.parametrize("i", range(3))
def test_plans_many(plan_a, plan_b, i, client, people):
    t = time.time()
    client.force_login(people["staff_a"])
    r = client.get("/karool/dashboard/")
    print("dash", time.time() - t, r.status_code)
    t = time.time()
    r = client.get("/karool/plan/")
    print("plan", time.time() - t, r.status_code)
    t = time.time()
    r = client.get("/karool/plan/export.xlsx")
    print("xlsx", time.time() - t, r.status_code)
    t = time.time()
    r = client.get("/karool/plan/export.docx")
    print("docx", time.time() - t, r.status_code)
    t = time.time()
    r = client.get("/karool/plan/export.pdf")
    print("pdf", time.time() - t, r.status_code)
    t = time.time()
    r = client.get("/karool/schedule/")
    print("sched", time.time() - t, r.status_code)
    t = time.time()
    r = client.get("/karool/calendar.ics")
    print("ics", time.time() - t, r.status_code)
