from jamaat.meetings.tests.test_figures_api import *
def test_dbg2(client, approved_plan_a, mun_a, year):
    make_held(mun_a, days=this_year_days_ago(2), total=340)
    client.login(username="deputy_a", password=PASSWORD)
    r = client.get("/karool/manage/meetings/", HTTP_COOKIE="django_language=en")
    print(r.status_code, r.get("Location"))
    r = client.get(f"/karool/dashboard/?year={year}")
    html = r.content.decode()
    i = html.find('data-activity="1.2"')
    print(r.status_code, html[i-50:i+1500])
    assert 0
