from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jamaat.core.access import Perm, municipality_view, require
from jamaat.messaging import codes
from jamaat.messaging.services import normalise_kg_phone
from jamaat.surveys import conditions, services
from jamaat.surveys import ratelimit as limits
from jamaat.surveys.forms import (
    ImportForm,
    PhoneCodeForm,
    PhoneForm,
    QuestionForm,
    QuestionnaireForm,
    RoundForm,
    SectionEditForm,
    SectionForm,
    read_post,
)
from jamaat.surveys.models import (
    Answer,
    Option,
    PhoneCheck,
    Question,
    Questionnaire,
    Round,
    Section,
)

T = Question.Type
COOKIE_SALT = "jamaat.surveys"


# --- public -----------------------------------------------------------------------------------


@municipality_view()
def questionnaire_list(request, municipality):
    now = timezone.now()
    items = list(
        Questionnaire.objects.for_municipality(municipality)
        .open_now(now)
        .prefetch_related("rounds")
    )
    for q in items:
        q.round = next((r for r in q.rounds.all() if r.is_open(now)), None)
    return render(request, "surveys/list.html", {"questionnaires": items})


def _cookie_name(round_pk) -> str:
    return f"jq{round_pk}"


@municipality_view()
def answer(request, municipality, pk):
    preview = Perm.MANAGE_CONTENT in request.perms and "preview" in request.GET
    qs = Questionnaire.objects.for_municipality(municipality)
    if not preview:
        qs = qs.exclude(status=Questionnaire.Status.DRAFT)
    questionnaire = get_object_or_404(qs, pk=pk)
    round = questionnaire.open_round()
    if questionnaire.status != Questionnaire.Status.PUBLISHED:
        round = None
    if round is None and not preview:
        return render(request, "surveys/closed.html", {"questionnaire": questionnaire})
    if round and request.get_signed_cookie(_cookie_name(round.pk), None, salt=COOKIE_SALT):
        return render(
            request, "surveys/closed.html", {"questionnaire": questionnaire, "already": True}
        )
    version = questionnaire.current_version()
    sections = version.ordered_sections()
    questions = [q for s in sections for q in s.questions.all()]
    villages = services._villages(version)
    # not tied to the version: a fix to the form mid-round keeps what residents typed so far
    key = f"surveys:{questionnaire.pk}:{round.pk if round else 'preview'}"
    answers = request.session.get(key, {})
    page = request.POST.get("page") or request.GET.get("page") or "0"
    errors: dict = {}
    notice = ""

    def shown_on(index, visible):
        return [q for q in sections[index].questions.all() if q.code in visible]

    def has_content(index, visible):
        return bool(shown_on(index, visible)) or bool(sections[index].text)

    cleaned, all_errors, visible = services.validate(version, answers, questions, villages)

    if page == "confirm" and round and questionnaire.requires_phone and not preview:
        # the code sent to the phone (GET shows the form, POST checks it and stores the answers)
        pages = [i for i in range(len(sections)) if has_content(i, visible)]
        return _confirm_phone(
            request, key, municipality, questionnaire, round, version, answers, questions,
            total=len(pages) + 1,
        )  # fmt: skip

    if request.method == "POST":
        nav = request.POST.get("nav", "next")
        if page == "review":
            if nav == "back":
                last = max((i for i in range(len(sections)) if has_content(i, visible)), default=0)
                return redirect(f"{request.path}?page={last}{'&preview=1' if preview else ''}")
            if preview:
                messages.info(request, _("This is a preview: the answers were not saved."))
                return redirect(f"{request.path}?page=review&preview=1")
            if limits.answers_limited(request, round.pk):
                return render(
                    request, "surveys/closed.html",
                    {"questionnaire": questionnaire, "limited": True}, status=429,
                )  # fmt: skip

            def to_first_error(errors):
                first = next(
                    i for i, s in enumerate(sections)
                    if any(q.code in errors for q in s.questions.all())
                )  # fmt: skip
                messages.error(request, _("Please check the marked answers."))
                request.session[key + ":errors"] = errors
                return redirect(f"{request.path}?page={first}")

            if questionnaire.requires_phone:
                if all_errors:
                    return to_first_error(all_errors)
                return _start_phone_check(request, key, round, questionnaire)
            try:
                services.submit_response(
                    version, answers, channel="online", round=round,
                    language=(get_language() or "ky")[:2], questions=questions,
                )  # fmt: skip
            except services.RoundClosed as exc:
                messages.error(request, str(exc))
                return render(request, "surveys/closed.html", {"questionnaire": questionnaire})
            except services.InvalidResponse as exc:
                return to_first_error(exc.errors)
            return _answered(request, key, municipality, questionnaire, round)
        try:
            index = int(page)
            section = sections[index]
        except (ValueError, IndexError):
            raise Http404 from None
        before = {q.code for q in shown_on(index, visible)}
        for q in section.questions.all():
            for name in list(answers):
                if name == q.code or name.startswith(f"{q.code}__"):
                    del answers[name]
        answers.update(read_post(section.questions.all(), request.POST))
        request.session[key] = answers
        cleaned, all_errors, visible = services.validate(version, answers, questions, villages)
        now_shown = {q.code for q in shown_on(index, visible)}
        if nav == "back":
            prev = [i for i in range(index) if has_content(i, visible)]
            target = prev[-1] if prev else index
            return redirect(f"{request.path}?page={target}{'&preview=1' if preview else ''}")
        page_errors = {c: m for c, m in all_errors.items() if c in now_shown}
        appeared = now_shown - before
        if appeared:
            notice = _("More questions appeared because of your answers. Please answer them too.")
            page_errors = {c: m for c, m in page_errors.items() if c not in appeared}
        if appeared or page_errors:
            errors = page_errors
            page = str(index)
        else:
            nxt = [i for i in range(index + 1, len(sections)) if has_content(i, visible)]
            target = str(nxt[0]) if nxt else "review"
            return redirect(f"{request.path}?page={target}{'&preview=1' if preview else ''}")
    else:
        errors = request.session.pop(key + ":errors", {}) if page != "review" else {}

    pages = [i for i in range(len(sections)) if has_content(i, visible)]
    ctx = {
        "questionnaire": questionnaire, "round": round, "preview": preview,
        "total": len(pages) + 1, "notice": notice,
    }  # fmt: skip
    if page == "review":
        rows = []
        for q in questions:
            if q.code in cleaned:
                rows.append((q, _display(q, cleaned[q.code], villages)))
        ctx.update({
            "review": rows, "step": len(pages) + 1, "missing": all_errors,
            "phone_form": PhoneForm(initial={"phone": request.session.get(key + ":phone", "")})
            if questionnaire.requires_phone and not preview else None,
        })  # fmt: skip
        return render(request, "surveys/review.html", ctx)
    try:
        index = int(page)
        section = sections[index]
    except (ValueError, IndexError):
        if not sections:
            raise Http404 from None
        index, section = (pages[0] if pages else 0), sections[pages[0] if pages else 0]
    form = SectionForm(shown_on(index, visible), answers, errors, villages)
    ctx.update({
        "section": section, "form": form, "page": index,
        "step": (pages.index(index) + 1) if index in pages else 1, "first": index == (pages or [0])[0],
    })  # fmt: skip
    return render(request, "surveys/answer.html", ctx)


def _answered(request, key, municipality, questionnaire, round):
    """After a stored online answer: count it, forget the draft, remember the round."""
    limits.count_answer(request, round.pk)
    for suffix in ("", ":check", ":phone"):
        request.session.pop(key + suffix, None)
    response = redirect("surveys:thanks", municipality.slug, questionnaire.pk)
    response.set_signed_cookie(
        _cookie_name(round.pk), "1", salt=COOKIE_SALT,
        max_age=int((round.closes_at - timezone.now()).total_seconds()) + 86400,
        httponly=True, samesite="Lax",
    )  # fmt: skip
    return response


def _start_phone_check(request, key, round, questionnaire):
    """Review page, "Send my answers" on a questionnaire that confirms by phone: send the code."""
    form = PhoneForm(request.POST)
    request.session[key + ":phone"] = request.POST.get("phone", "")[:32]
    if form.is_valid():
        if limits.codes_limited(request):
            form.add_error(
                "phone",
                _("Too many codes were asked from your connection. Please try again later."),
            )
        else:
            try:
                check = services.start_phone_check(
                    round, form.cleaned_data["phone"], language=(get_language() or "ky")[:2]
                )
            except services.PhoneCheckError as exc:
                form.add_error("phone", exc.messages[0])
            else:
                request.session[key + ":check"] = check.token
                return redirect(f"{request.path}?page=confirm")
    messages.error(request, form.errors["phone"][0])
    return redirect(f"{request.path}?page=review")


def _confirm_phone(request, key, municipality, questionnaire, round, version, answers, questions,
                   *, total):  # fmt: skip
    """The page after the review: type the code sent to the phone; then the answers are stored."""
    token = request.session.get(key + ":check")
    check = PhoneCheck.objects.filter(token=token, round=round).first() if token else None
    if check is None:
        return redirect(f"{request.path}?page=review")
    form = PhoneCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("nav") == "back":
        return redirect(f"{request.path}?page=review")
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_and_submit(
                check, form.cleaned_data["code"], version, answers, channel="online",
                language=(get_language() or "ky")[:2], questions=questions,
            )  # fmt: skip
        except services.PhoneCheckError as exc:
            if exc.code in ("duplicate", "expired", "too_many"):
                # this code cannot be used any more: back to the number, answers kept
                messages.error(request, exc.messages[0])
                request.session.pop(key + ":check", None)
                return redirect(f"{request.path}?page=review")
            form.add_error("code", exc.messages[0])
        except services.RoundClosed as exc:
            messages.error(request, str(exc))
            return render(request, "surveys/closed.html", {"questionnaire": questionnaire})
        except services.InvalidResponse:
            return redirect(f"{request.path}?page=review")
        else:
            return _answered(request, key, municipality, questionnaire, round)
    try:
        phone = normalise_kg_phone(request.session.get(key + ":phone", ""))
    except ValidationError:
        phone = ""
    return render(
        request, "surveys/confirm.html",
        {"questionnaire": questionnaire, "round": round, "check": check, "form": form,
         "masked_phone": codes.masked(phone), "step": total, "total": total,
         "minutes": codes.ttl_seconds() // 60},
        status=400 if form.errors else 200,
    )  # fmt: skip


def _display(question, clean, villages) -> str:
    labels = dict(services.fixed_options(question))
    value = clean.value
    if question.type == Question.Type.MATRIX:
        names = {r["code"]: question.row_label(r) for r in question.rows}
        return "; ".join(f"{names[k]}: {int(v)}" for k, v in value.items())
    if question.type == Question.Type.VILLAGE:
        return villages.get(value, value)
    if isinstance(value, list):
        return ", ".join(
            labels.get(c) or next((r[2] for r in clean.rows if r[1] == c), c) for c in value
        )
    if value == services.OTHER:
        return clean.rows[0][2]
    if isinstance(value, float):
        return services._fmt(value)
    return str(labels.get(str(value), value))


@municipality_view()
def thanks(request, municipality, pk):
    questionnaire = get_object_or_404(
        Questionnaire.objects.for_municipality(municipality).exclude(status="draft"), pk=pk
    )
    return render(request, "surveys/thanks.html", {"questionnaire": questionnaire})


# --- staff ------------------------------------------------------------------------------------


@municipality_view(Perm.VIEW_INTERNAL)
def manage(request, municipality):
    if request.method == "POST":
        require(request, municipality, Perm.MANAGE_CONTENT)
        if request.POST.get("action") == "template":
            q = services.create_from_template(request.user, municipality)
        else:
            q = services.create_questionnaire(
                request.user, municipality,
                {"title_ky": _("New questionnaire"), "title_ru": "", "sections": [{}]},
            )  # fmt: skip
        messages.success(request, _("The questionnaire was created as a draft."))
        return redirect("surveys:builder", municipality.slug, q.pk)
    items = (
        Questionnaire.objects.for_municipality(municipality)
        .annotate(n_responses=Count("responses"))
        .order_by("-created_at")
    )
    return render(request, "surveys/manage.html", {"questionnaires": items})


@municipality_view(Perm.VIEW_INTERNAL)
def import_xlsform(request, municipality):
    from jamaat.surveys import xlsform

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        require(request, municipality, Perm.MANAGE_CONTENT)
        if form.is_valid():
            try:
                q = xlsform.import_xlsform(form.cleaned_data["file"], municipality, request.user)
            except xlsform.XLSFormError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("The form was imported as a draft."))
                return redirect("surveys:builder", municipality.slug, q.pk)
    return render(request, "surveys/import.html", {"form": form})


def _questionnaire(municipality, pk):
    return get_object_or_404(Questionnaire.objects.for_municipality(municipality), pk=pk)


def _same_in(version, obj):
    """`obj` (a section or question of an older version) in `version` (copied on edit)."""
    if obj.version_id == version.pk:
        return obj
    if isinstance(obj, Question):
        return version.questions.get(code=obj.code)
    old = list(obj.version.sections.order_by("order", "pk").values_list("pk", flat=True))
    return list(version.sections.order_by("order", "pk"))[old.index(obj.pk)]


def _move(items, obj, delta):
    items = list(items)
    i = items.index(obj)
    j = i + delta
    if 0 <= j < len(items):
        items[i], items[j] = items[j], items[i]
    for n, item in enumerate(items):
        if item.order != n:
            item.order = n
            item.save(update_fields=["order"])


@municipality_view(Perm.VIEW_INTERNAL)
def builder(request, municipality, pk):
    questionnaire = _questionnaire(municipality, pk)
    settings_form = QuestionnaireForm(instance=questionnaire, prefix="s")
    round_form = RoundForm(
        prefix="r",
        initial={"opens_at": timezone.now(), "closes_at": timezone.now() + timedelta(days=30)},
    )
    if request.method == "POST":
        require(request, municipality, Perm.MANAGE_CONTENT)
        action = request.POST.get("action", "")
        try:
            done = _builder_action(request, questionnaire, action)
        except ConditionsBroken as exc:
            messages.error(request, _broken_message(exc))
            done = True
        if done is True:
            return redirect(
                reverse("surveys:builder", args=[municipality.slug, pk])
                + request.POST.get("anchor", "")
            )
        if isinstance(done, HttpResponse):
            return done
        if action == "settings":
            settings_form = done
        elif action == "add_round":
            round_form = done
    version = questionnaire.current_version()
    sections = version.ordered_sections()
    counts: dict = {}
    for code, option, n in (
        Answer.objects.filter(response__questionnaire=questionnaire)
        .values_list("question_code", "option_code")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts.setdefault(code, {})[option] = n
    villages = services._villages(version)
    choice_types = (T.SINGLE, T.MULTIPLE, T.YES_NO, T.RATING, T.GENDER, T.AGE_GROUP, T.VILLAGE)
    for s in sections:
        for q in s.questions.all():
            mine = counts.get(q.code, {})
            if q.type in choice_types:
                labels = villages if q.type == T.VILLAGE else dict(services.fixed_options(q))
                labels[services.OTHER] = _("Other")
                q.counts = sorted(
                    ((labels.get(code, code), n) for code, n in mine.items()),
                    key=lambda kv: -kv[1],
                )
            elif mine:  # numbers, dates, texts, matrix rows: how many answered
                q.counts = [(_("answers"), sum(mine.values()))]
            else:
                q.counts = []
    return render(
        request,
        "surveys/builder.html",
        {
            "questionnaire": questionnaire, "version": version, "sections": sections,
            "rounds": list(questionnaire.rounds.annotate(n=Count("responses"))),
            "versions": list(questionnaire.versions.annotate(n=Count("responses"))),
            "settings_form": settings_form, "round_form": round_form,
            "types": Question.Type.choices, "can_edit": Perm.MANAGE_CONTENT in request.perms,
            "n_responses": questionnaire.responses.count(), "now": timezone.now(),
        },
    )  # fmt: skip


class ConditionsBroken(Exception):
    """A builder change would leave a "show if" pointing at a question not asked before it."""


def _keep_conditions(version) -> None:
    """Raise ConditionsBroken (rolling the change back) when a condition no longer holds."""
    try:
        services.check_conditions(version)
    except conditions.ConditionError as exc:
        raise ConditionsBroken(str(exc)) from None


def _broken_message(exc) -> str:
    return _(
        "This change was not made: a condition would break (%(why)s). "
        "A condition may only use questions asked before it."
    ) % {"why": exc}


def _builder_action(request, questionnaire, action):
    post = request.POST
    if action == "settings":
        form = QuestionnaireForm(post, instance=questionnaire, prefix="s")
        if not form.is_valid():
            return form
        form.save()
        messages.success(request, _("Saved."))
        return True
    if action == "publish":
        services.publish(request.user, questionnaire)
        messages.success(request, _("The questionnaire is published."))
        return True
    if action == "close":
        services.close(request.user, questionnaire)
        messages.success(request, _("The questionnaire is closed."))
        return True
    if action == "add_round":
        form = RoundForm(post, prefix="r")
        if not form.is_valid():
            return form
        rnd = form.save(commit=False)
        rnd.municipality = questionnaire.municipality
        rnd.questionnaire = questionnaire
        rnd.save()
        messages.success(request, _("The round was added."))
        return True
    if action == "close_round":
        rnd = get_object_or_404(questionnaire.rounds, pk=post.get("round"))
        services.close_round(request.user, rnd)
        messages.success(request, _("The round is closed."))
        return True
    with transaction.atomic():
        version = services.editable_version(questionnaire)
        if action == "add_section":
            Section.objects.create(version=version, order=version.sections.count())
            return True
        if action in ("section_up", "section_down"):
            old = get_object_or_404(
                Section, version__questionnaire=questionnaire, pk=post.get("section")
            )
            section = _same_in(version, old)
            _move(
                version.sections.order_by("order", "pk"),
                section,
                -1 if action == "section_up" else 1,
            )
            _keep_conditions(version)
            return True
        if action == "add_question":
            old = get_object_or_404(
                Section, version__questionnaire=questionnaire, pk=post.get("section")
            )
            section = _same_in(version, old)
            qtype = post.get("type") if post.get("type") in Question.Type.values else "text"
            q = Question.objects.create(
                section=section, version=version, order=section.questions.count(),
                code=services.new_code(version), type=qtype, label_ky=_("New question"),
            )  # fmt: skip
            if qtype in (Question.Type.SINGLE, Question.Type.MULTIPLE):
                Option.objects.create(question=q, code="a1", label_ky="1", label_ru="1")
            if qtype == Question.Type.MATRIX:
                q.rows = [{"code": "r1", "label_ky": "1", "label_ru": "1"}]
                q.save(update_fields=["rows"])
            return redirect(
                "surveys:question", questionnaire.municipality.slug, questionnaire.pk, q.pk
            )
        if action in ("question_up", "question_down", "question_delete"):
            old = get_object_or_404(
                Question, version__questionnaire=questionnaire, pk=post.get("question")
            )
            q = _same_in(version, old)
            if action == "question_delete":
                q.delete()
            else:
                _move(
                    q.section.questions.order_by("order", "pk"),
                    q,
                    -1 if action == "question_up" else 1,
                )
            _keep_conditions(version)
            return True
    raise Http404


@municipality_view(Perm.VIEW_INTERNAL)
def question(request, municipality, pk, qpk):
    questionnaire = _questionnaire(municipality, pk)
    instance = get_object_or_404(Question, version__questionnaire=questionnaire, pk=qpk)
    earlier = []
    for q in instance.version.ordered_questions():
        if q.pk == instance.pk:
            break
        earlier.append(q.code)
    form = QuestionForm(request.POST or None, instance=instance, earlier_codes=earlier)
    if request.method == "POST":
        require(request, municipality, Perm.MANAGE_CONTENT)
        if form.is_valid():
            try:
                with transaction.atomic():
                    version = services.editable_version(questionnaire)
                    target = _same_in(version, instance)
                    for name in form.Meta.fields:
                        setattr(target, name, form.cleaned_data[name])
                    target.rows = form.rows if target.type == Question.Type.MATRIX else []
                    target.save()
                    target.options.all().delete()
                    if target.type in (Question.Type.SINGLE, Question.Type.MULTIPLE):
                        Option.objects.bulk_create(
                            [Option(question=target, order=i, **o)
                             for i, o in enumerate(form.options)]
                        )  # fmt: skip
                    _keep_conditions(version)  # e.g. a renamed code that a later condition uses
            except ConditionsBroken as exc:
                form.add_error(None, _broken_message(exc))
            else:
                messages.success(request, _("The question was saved."))
                return redirect("surveys:builder", municipality.slug, pk)
    return render(
        request,
        "surveys/question.html",
        {"questionnaire": questionnaire, "form": form, "q": instance},
    )


@municipality_view(Perm.VIEW_INTERNAL)
def export(request, municipality, pk):
    from jamaat.surveys import xlsform

    questionnaire = _questionnaire(municipality, pk)
    data = xlsform.export_xlsform(questionnaire)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="questionnaire-{pk}.xlsx"'
    return response


@municipality_view(Perm.VIEW_INTERNAL)
def section_edit(request, municipality, pk, spk):
    questionnaire = _questionnaire(municipality, pk)
    instance = get_object_or_404(Section, version__questionnaire=questionnaire, pk=spk)
    form = SectionEditForm(request.POST or None, instance=instance)
    if request.method == "POST":
        require(request, municipality, Perm.MANAGE_CONTENT)
        if form.is_valid():
            with transaction.atomic():
                version = services.editable_version(questionnaire)
                target = _same_in(version, instance)
                for name in form.Meta.fields:
                    setattr(target, name, form.cleaned_data[name])
                target.save()
            return redirect("surveys:builder", municipality.slug, pk)
    return render(request, "surveys/section.html", {"questionnaire": questionnaire, "form": form})


# Rounds are answered on `Round.is_open`; this keeps the import of Round used for type hints.
__all__ = ["Round"]
