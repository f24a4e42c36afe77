"""The adopted plan as a document (DOCX, PDF, XLSX) in the seed's own table layout."""

from collections import defaultdict
from datetime import date

from django.utils import timezone

from jamaat.core.access import Role
from jamaat.documents import plan as render
from jamaat.municipalities.models import Membership
from jamaat.plans import template_data
from jamaat.plans.models import Activity, Plan

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Words of the document itself (its language is chosen per export, not by the UI language).
WORDS = {
    "ky": {
        "approved": "Бекитилди: {date}",
        "draft": "Долбоор (бекитиле элек)",
        "head_city": "Шаардын мэри",
        "head_aa": "Айыл өкмөтүнүн башчысы",
        "kgs": "сом",
        "years": "жылдар",
        "period": "{start}–{end}-жылдар",
    },
    "ru": {
        "approved": "Утвержден: {date}",
        "draft": "Проект (не утвержден)",
        "head_city": "Мэр города",
        "head_aa": "Глава айыл окмоту",
        "kgs": "сом",
        "years": "годы",
        "period": "{start}–{end} гг.",
    },
    "en": {
        "approved": "Approved: {date}",
        "draft": "Draft (not approved)",
        "head_city": "Mayor",
        "head_aa": "Head of the ayil okmotu",
        "kgs": "KGS",
        "years": "years",
        "period": "{start}–{end}",
    },
}


def official_date(d: date, lang: str) -> str:
    return f"{d:%d.%m.%Y}-ж." if lang == "ky" else f"{d:%d.%m.%Y}"


def _number(value) -> str:
    if value is None:
        return ""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0")


def _targets_text(indicator, years, lang) -> str:
    text = getattr(indicator, f"text_{lang}") or indicator.text_ru
    if indicator.fixed_target is not None or not indicator.has_blank:
        return text
    by_year = {t.year: t.value for t in indicator.targets.all()}
    values = [by_year.get(y) for y in years]
    if all(v is None for v in values):
        return text
    if len(set(values)) == 1:
        return template_data.fill_blank(text, _number(values[0]))
    filled = template_data.fill_blank(text, " / ".join(_number(v) or "…" for v in values))
    return f"{filled}\n({' / '.join(str(y) for y in years)})"


def _responsible_text(activity: Activity, roles_by_user: dict, lang: str) -> str:
    persons = list(activity.responsible_persons.all())
    used = set()
    lines = []
    for role in activity.responsible_roles:
        label = template_data.RESPONSIBLE_ROLES.get(role, {}).get(lang, role)
        names = [p.display_name for p in persons if role in roles_by_user.get(p.pk, ())]
        used |= {p.pk for p in persons if role in roles_by_user.get(p.pk, ())}
        if role == Role.STAFF:
            lines.append(", ".join(names) if names else label)
        else:
            lines.append(f"{label}: {', '.join(names)}" if names else label)
    lines += [p.display_name for p in persons if p.pk not in used]
    return "\n".join(lines)


def _budget_text(activity: Activity, lang: str) -> str:
    label = template_data.BUDGET_SOURCES[activity.budget_source][lang]
    amounts = [
        f"{b.year}: {_number(b.amount_kgs)} {WORDS[lang]['kgs']}" for b in activity.budgets.all()
    ]
    return "\n".join([label, *amounts])


def build_document(plan: Plan, lang: str) -> render.PlanDocument:
    m = plan.municipality
    name = m.name_in(lang)
    words = WORDS[lang]
    roles_by_user = defaultdict(set)
    head = None
    for ms in Membership.objects.filter(municipality=m).select_related("user"):
        roles_by_user[ms.user_id].add(ms.role)
        if ms.role == Role.HEAD and head is None:
            head = ms.user
    goals = []
    activities = (
        Activity.objects.filter(plan=plan)
        .ordered()
        .prefetch_related("responsible_persons", "budgets", "indicators__targets")
    )
    by_goal = defaultdict(list)
    for a in activities:
        by_goal[a.goal_id].append(a)
    for goal in plan.goals.all():
        rows = []
        for a in by_goal[goal.pk]:
            rows.append(
                render.PlanRow(
                    code=a.code + ("." if a.code.count(".") == 1 else ""),
                    text=getattr(a, f"text_{lang}") or a.text_ru,
                    deadline=getattr(a, f"deadline_text_{lang}") or a.deadline_text_ru,
                    responsible=_responsible_text(a, roles_by_user, lang),
                    budget=_budget_text(a, lang),
                    expected=getattr(a, f"expected_{lang}") or a.expected_ru,
                    indicators="\n".join(
                        _targets_text(i, plan.years, lang) for i in a.indicators.all()
                    ),
                    note=getattr(a, f"note_{lang}", "") or "",
                )
            )
        goal_title = getattr(goal, f"title_{lang}") or goal.title_ru
        goals.append(render.PlanGoal(title=f"{goal.number}. {goal_title}", rows=rows))
    status = (
        words["approved"].format(
            date=official_date(timezone.localtime(plan.approved_at).date(), lang)
        )
        if plan.is_approved and plan.approved_at
        else words["draft"]
    )
    return render.PlanDocument(
        lang=lang,
        issuer=template_data.ISSUER[lang],
        title=template_data.fill_blank(template_data.TITLE[lang], name),
        subtitle=f"{name} · {words['period'].format(start=plan.start_year, end=plan.end_year)}",
        status_line=status,
        columns=list(template_data.COLUMNS[lang]),
        goals=goals,
        signature_label=words["head_city" if m.kind == m.Kind.CITY else "head_aa"],
        signer_name=head.display_name if head else "",
        generated_line=f"Jamaat · {official_date(timezone.localdate(), lang)}",
    )


def export_plan(plan: Plan, lang: str, fmt: str) -> tuple[bytes, str, str]:
    doc = build_document(plan, lang)
    renderer = {"docx": render.render_docx, "pdf": render.render_pdf, "xlsx": render.render_xlsx}[
        fmt
    ]
    filename = f"plan-{plan.municipality.slug}-{plan.start_year}-{plan.end_year}-{lang}.{fmt}"
    return renderer(doc), FORMATS[fmt], filename
