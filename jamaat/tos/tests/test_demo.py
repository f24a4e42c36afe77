from jamaat.plans.models import Evidence
from jamaat.tos import demo
from jamaat.tos.models import TosBody, TosProject


def test_demo_seed_is_idempotent(mun_a, approved_plan_a):
    demo.seed(mun_a)
    demo.seed(mun_a)
    assert TosBody.objects.count() == len(demo.BODIES)
    assert TosProject.objects.count() == len(demo.PROJECTS)
    assert Evidence.objects.filter(source__startswith="tos.project:").count() == 2
    assert all(p.photos.count() == 1 for p in TosProject.objects.all())
