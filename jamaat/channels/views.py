from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jamaat.channels import reach, services
from jamaat.channels.forms import ChannelForm, CountsForm
from jamaat.channels.models import Channel, ChannelSnapshot
from jamaat.core.access import Perm, municipality_view
from jamaat.plans.models import Indicator, Plan


@municipality_view(Perm.VIEW_INTERNAL)
def channel_list(request, municipality):
    year = timezone.localdate().year
    channels = list(Channel.objects.for_municipality(municipality))
    latest = {}
    for snap in ChannelSnapshot.objects.for_municipality(municipality).order_by("-month"):
        latest.setdefault(snap.channel_id, snap)
    plan = Plan.objects.current_for(municipality)
    targets = {}
    if plan:
        for ind in Indicator.objects.filter(
            activity__plan=plan, key__in=["1.1.population_informed", "1.1.subscriber_growth"]
        ).prefetch_related("targets"):
            targets[ind.key] = ind.target_for(year)
    return render(
        request,
        "channels/list.html",
        {
            "year": year,
            "rows": [(c, latest.get(c.pk)) for c in channels],
            "share": reach.population_reached_share(municipality, year),
            "growth": reach.subscriber_growth(municipality, year),
            "whatsapp": reach.whatsapp_members(municipality, year),
            "share_target": targets.get("1.1.population_informed"),
            "growth_target": targets.get("1.1.subscriber_growth"),
            "share_how": reach.POPULATION_REACHED_HOW,
            "growth_how": reach.SUBSCRIBER_GROWTH_HOW,
            "months": reach.monthly_totals(municipality, year),
        },
    )


@municipality_view(Perm.MANAGE_CONTENT)
def channel_edit(request, municipality, pk=None):
    channel = (
        get_object_or_404(Channel, municipality=municipality, pk=pk)
        if pk
        else Channel(municipality=municipality)
    )
    form = ChannelForm(request.POST or None, instance=channel, municipality=municipality)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved."))
            return redirect("channels:list", municipality.slug)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "channels/edit.html", {"form": form, "channel": channel})


@municipality_view(Perm.MANAGE_CONTENT)
def counts(request, municipality):
    channels = list(Channel.objects.for_municipality(municipality).active())
    month = timezone.localdate().replace(day=1)
    if request.GET.get("month"):
        probe = CountsForm({"month": request.GET["month"]}, channels=[], current={})
        if probe.is_valid():
            month = probe.cleaned_data["month"]
    current = dict(
        ChannelSnapshot.objects.filter(channel__in=channels, month=month).values_list(
            "channel_id", "followers"
        )
    )
    form = CountsForm(
        request.POST or None, channels=channels, current=current, initial={"month": month}
    )
    if request.method == "POST":
        if form.is_valid():
            services.save_counts(
                request.user, municipality, form.cleaned_data["month"], form.counts()
            )
            messages.success(request, _("Counts saved."))
            return redirect("channels:list", municipality.slug)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "channels/counts.html", {"form": form, "month": month})
