from jamaat.appeals import services
from jamaat.conftest import make_municipality


def test_two_municipalities_with_the_same_prefix_both_number_their_appeals(mun_a, db):
    karakol = make_municipality(
        "karakol", name_ky="Каракол", name_ru="Каракол", kind="city", population=85600
    )
    assert services.number_prefix(mun_a) == services.number_prefix(karakol)

    def register(m):
        return services.register(
            m,
            category=m.local_issues.get(code="water"),
            channel="paper",
            text="Суу жок",
            applicant_name="Асан",
            phone="0555123456",
        )

    first, second = register(mun_a), register(karakol)
    assert first.number == second.number  # same prefix, year and sequence, different municipality
    assert register(mun_a).number != first.number
