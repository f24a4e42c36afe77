"""Staff pages of paper questionnaires (activity 3.2).

Access: reading batches and printing the paper form need Perm.VIEW_INTERNAL; opening a batch,
typing forms, resolving discrepancies and changing a batch's status need Perm.RECORD_EVIDENCE
(entering ballot-box forms records the evidence of 3.2; staff, heads and council chairs hold it).
"""

import json

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from jamaat.core import audit
from jamaat.core.access import Perm, municipality_view, require
from jamaat.paper import services
from jamaat.paper.forms import BatchForm, PrintForm
from jamaat.paper.models import Batch, PaperEntry

T = services.T


@municipality_view(Perm.VIEW_INTERNAL)
def batch_list(request, municipality):
    batches = list(
        Batch.objects.for_municipality(municipality)
        .select_related("questionnaire", "round", "opened_by")
        .annotate(n_entries=Count("entries", filter=Q(entries__pass_no=1)))
    )
    return render(request, "paper/list.html", {"batches": batches})


@municipality_view(Perm.RECORD_EVIDENCE)
def batch_new(request, municipality):
    form = BatchForm(
        request.POST or None,
        municipality=municipality,
        initial={"opened_on": services.today(), "opened_by_name": request.user.display_name},
    )
    if request.method == "POST":
        if form.is_valid():
            batch = form.save(commit=False)
            batch.municipality = municipality
            batch.opened_by = request.user
            if batch.round is None:
                batch.round = batch.questionnaire.rounds.order_by("-opens_at").first()
            batch.save()
            audit.record(request.user, municipality, batch, "create")
            messages.success(request, _("Batch opened. Enter its forms now."))
            return redirect("paper:entry", municipality.slug, batch.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "paper/batch_new.html", {"form": form})


def _batch(municipality, pk):
    return get_object_or_404(
        Batch.objects.select_related("questionnaire", "round", "opened_by"),
        municipality=municipality,
        pk=pk,
    )


@municipality_view(Perm.VIEW_INTERNAL)
def batch_detail(request, municipality, pk):
    batch = _batch(municipality, pk)
    if request.method == "POST":
        require(request, municipality, Perm.RECORD_EVIDENCE)
        status = request.POST.get("status")
        if status in Batch.Status.values:
            batch.status = status
            batch.save(update_fields=["status"])
            audit.record(request.user, municipality, batch, "update", {"status": status})
            messages.success(request, _("Saved."))
        return redirect(batch)
    entries = (
        PaperEntry.objects.filter(batch=batch)
        .select_related("entered_by")
        .order_by("-entered_at", "-pk")[:50]
    )
    return render(
        request,
        "paper/batch.html",
        {
            "batch": batch,
            "counts": services.counts(batch),
            "entries": entries,
            "statuses": Batch.Status.choices,
        },
    )


def _fields(questions, villages, raw, errors, visible):
    out = []
    numbers = {q.code: n for n, q in enumerate(questions, 1)}
    by_code = {q.code: q for q in questions}
    for n, q in enumerate(questions, 1):
        item = {
            "condition": services._condition_text(q.show_if, numbers, by_code, villages)
            if q.show_if.strip()
            else "",
            "q": q,
            "n": n,
            "code": q.code,
            "value": raw.get(q.code, ""),
            "error": errors.get(q.code, ""),
            "hidden": visible is not None and q.code not in visible,
            "numbered": q.type in services.NUMBERED,
            "choices": services.choices(q, villages) if q.type in services.NUMBERED else [],
            "multiple": q.type == T.MULTIPLE,
            "rating": q.type == T.RATING,
            "other": services.has_other(q),
            "other_value": raw.get(f"{q.code}__other", ""),
            "other_error": errors.get(f"{q.code}__other", ""),
            "rows": [
                {
                    "name": f"{q.code}__{r['code']}",
                    "label": q.row_label(r),
                    "value": raw.get(f"{q.code}__{r['code']}", ""),
                }
                for r in q.rows
            ]
            if q.type == T.MATRIX
            else [],
        }
        out.append(item)
    return out


@municipality_view(Perm.RECORD_EVIDENCE)
def entry(request, municipality, pk):
    batch = _batch(municipality, pk)
    pass_no = 2 if batch.double_entry and request.GET.get("pass") == "2" else 1
    version = batch.questionnaire.current_version()
    questions = version.ordered_questions()
    villages = services.villages_of(municipality)
    raw, errors, visible = {}, {}, None
    serial = request.GET.get("serial") or services.next_serial(batch, pass_no)
    if request.method == "POST":
        raw = request.POST
        serial = raw.get("serial", "")
        try:
            saved = services.save_form(
                request.user, batch, version, questions, villages, serial, raw, pass_no=pass_no
            )
        except services.EntryError as exc:
            errors = exc.errors
            _a, _e, visible = services.check_answers(version, questions, villages, raw)
            messages.error(request, _("Form not saved: please correct the marked fields."))
        else:
            messages.success(request, _("Form No. %(n)s saved.") % {"n": saved.serial})
            url = reverse("paper:entry", args=[municipality.slug, batch.pk])
            return redirect(url + ("?pass=2" if pass_no == 2 else ""))
    counts = services.counts(batch)
    entered = counts["second"] if pass_no == 2 else counts["first"]
    return render(
        request,
        "paper/entry.html",
        {
            "batch": batch,
            "pass_no": pass_no,
            "serial": serial,
            "serial_error": errors.get("serial", ""),
            "fields": _fields(questions, villages, raw, errors, visible),
            "focus": next(
                (
                    c
                    for c in [
                        "serial",
                        *(f"{q.code}{suffix}" for q in questions for suffix in ("", "__other")),
                    ]
                    if c in errors
                ),
                questions[0].code if questions else "serial",
            ),
            "entered": entered,
            "all_entered": batch.forms_found > 0 and entered >= batch.forms_found,
            "rules": services.live_rules(questions, villages),
        },
    )


def _show(key, value, question, villages):
    value = json.loads(value)
    if value is None:
        return "—"
    if question is None or question.type not in services.NUMBERED or key != question.code:
        return str(value)  # also the text after "Other" ("why__other")
    opts = services.choices(question, villages)
    values = value if isinstance(value, list) else [value]
    labels = []
    for v in values:
        for i, (code, label) in enumerate(opts, 1):
            if code == v:
                labels.append(f"{i}. {label}")
                break
        else:
            labels.append(str(v))
    return ", ".join(labels)


def _label(key, question):
    """The question's label for a discrepancy or error key: "why", "why__other", "m__row"."""
    if question is None:
        return key
    if key == question.code:
        return question.label
    suffix = key.split("__", 1)[1]
    if suffix == services.OTHER:
        return f"{question.label} — {_('Other')}"
    row = next((r for r in question.rows if r["code"] == suffix), None)
    return f"{question.label} — {question.row_label(row)}" if row else question.label


def _open_forms(batch, municipality, posted, errors):
    """The open forms of the batch for the page: the picks posted for a form that was not
    stored are kept (else a pick saved earlier is shown), with its errors by question."""
    version = batch.questionnaire.current_version()
    by_code = {q.code: q for q in version.ordered_questions()}
    villages = services.villages_of(municipality)
    numbers = {code: i for i, code in enumerate(by_code, 1)}

    def base(key):
        return key.split("__")[0]

    out = []
    for serial, ds in services.open_forms(batch).items():
        form_errors = errors.get(serial, {})
        picks = posted.get(serial, {})
        items = []
        for d in ds:
            code = base(d.question_code)
            q = by_code.get(code)
            items.append(
                {
                    "d": d,
                    "n": numbers.get(code, ""),
                    "label": _label(d.question_code, q),
                    "first": _show(d.question_code, d.first_value, q, villages),
                    "second": _show(d.question_code, d.second_value, q, villages),
                    "pick": picks.get(d.pk) or services.saved_pick(d),
                    "errors": [m for k, m in form_errors.items() if base(k) == code],
                }
            )
        listed = sorted(form_errors.items(), key=lambda kv: (numbers.get(base(kv[0]), 0), kv[0]))
        out.append(
            {
                "serial": serial,
                "items": items,
                "picked_earlier": any(d.resolved_value is not None for d in ds),
                "errors": [
                    {
                        "n": numbers.get(base(k), ""),
                        "label": "" if k == "serial" else _label(k, by_code.get(base(k))),
                        "message": m,
                    }
                    for k, m in listed
                ],
            }
        )
    return out


@municipality_view(Perm.RECORD_EVIDENCE)
def discrepancies(request, municipality, pk):
    """Open forms of a double-entry batch, each stored at once when its picks are saved, or
    shown again with its picks and the reasons (nothing changed for it) when they are wrong."""
    batch = _batch(municipality, pk)
    posted, errors = {}, {}
    if request.method == "POST":
        store = set(request.POST.getlist("store"))
        done = 0
        for serial, ds in services.open_forms(batch).items():
            picks = {
                d.pk: request.POST[f"d{d.pk}"]
                for d in ds
                if request.POST.get(f"d{d.pk}") in ("first", "second")
            }
            if not picks and str(serial) not in store:
                continue  # not touched
            posted[serial] = picks
            try:
                services.resolve(request.user, batch, serial, picks)
            except services.ResolveError as exc:
                errors[serial] = exc.errors
            else:
                done += 1
        if done:
            messages.success(request, _("%(n)s forms are final now.") % {"n": done})
        if errors:
            messages.error(
                request,
                _(
                    "Some forms were not stored and nothing was changed for them: correct the "
                    "choices marked below and save again."
                ),
            )
        else:
            if not done:
                messages.warning(request, _("Nothing was chosen, so nothing was stored."))
            return redirect("paper:discrepancies", municipality.slug, batch.pk)
    forms = _open_forms(batch, municipality, posted, errors)
    return render(request, "paper/discrepancies.html", {"batch": batch, "forms": forms})


@municipality_view(Perm.VIEW_INTERNAL)
def print_forms(request, municipality):
    form = PrintForm(request.GET or None, municipality=municipality)
    if request.GET and form.is_valid():
        d = form.cleaned_data
        pdf = services.paper_pdf(d["questionnaire"], d["language"], d["first"], d["last"])
        response = HttpResponse(pdf, content_type="application/pdf")
        name = f"questionnaire-{d['questionnaire'].pk}-{d['first']}-{d['last']}-{d['language']}"
        response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
        return response
    return render(request, "paper/print.html", {"form": form})
