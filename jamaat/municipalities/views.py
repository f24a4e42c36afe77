from django.shortcuts import render

from jamaat.core.access import municipality_view
from jamaat.core.public import home_blocks


@municipality_view()
def home(request, municipality):
    """The municipality's public home: blocks from feature apps (news, plan progress, …)."""
    return render(
        request,
        "municipalities/home.html",
        {"blocks": home_blocks(request, municipality)},
    )
