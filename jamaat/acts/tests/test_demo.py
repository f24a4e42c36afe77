from jamaat.acts import demo
from jamaat.acts.models import LegalAct, Mandate
from jamaat.plans.models import Evidence


def test_demo_seed_is_idempotent_and_covers_every_state(mun_a, approved_plan_a):
    demo.seed(mun_a)
    demo.seed(mun_a)
    assert set(LegalAct.objects.values_list("status", flat=True)) == set(LegalAct.Status.values)
    assert LegalAct.objects.count() == len(demo.ACTS)
    assert Mandate.objects.filter(status="answered_by_act").count() == 2
    adopted = LegalAct.objects.public().filter(adopted_on__year__gte=2025)
    assert Evidence.objects.filter(source__startswith="acts.act:").count() == adopted.count()
    act = LegalAct.objects.get(number="12")
    assert act.pdf.read().startswith(b"%PDF-")
