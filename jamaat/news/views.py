import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from jamaat.core.access import Perm, municipality_view
from jamaat.municipalities.models import LocalIssue
from jamaat.news import services
from jamaat.news.forms import LocalIssueFormSet, PostForm
from jamaat.news.models import Post

PAGE_SIZE = 10


@municipality_view()
def news_list(request, municipality):
    posts = Post.objects.for_municipality(municipality).public_list()
    categories = list(LocalIssue.objects.filter(municipality=municipality).active())
    current = None
    code = request.GET.get("category")
    if code:
        current = next((c for c in categories if c.code == code), None)
        if current is None:
            raise Http404
        posts = posts.filter(category=current)
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/list.html",
        {"page": page, "categories": categories, "current": current},
    )


@municipality_view()
def news_detail(request, municipality, pk):
    post = get_object_or_404(
        Post.objects.select_related("category").prefetch_related("photos"),
        municipality=municipality,
        pk=pk,
    )
    if not post.is_public and Perm.MANAGE_CONTENT not in request.perms:
        raise Http404
    post.municipality = municipality  # already loaded: no second query for its URL
    return render(request, "news/detail.html", {"post": post, "preview": not post.is_public})


@municipality_view(Perm.MANAGE_CONTENT)
def manage(request, municipality):
    posts = (
        Post.objects.for_municipality(municipality)
        .select_related("category", "author")
        .order_by("-updated_at")
    )
    page = Paginator(posts, 30).get_page(request.GET.get("page"))
    return render(request, "news/manage.html", {"page": page})


@municipality_view(Perm.MANAGE_CONTENT)
def edit(request, municipality, pk=None):
    post = (
        get_object_or_404(Post, municipality=municipality, pk=pk)
        if pk
        else Post(municipality=municipality)
    )
    form = PostForm(
        request.POST or None, request.FILES or None, instance=post, municipality=municipality
    )
    if request.method == "POST":
        if form.is_valid():
            action = "draft" if form.action == "preview" else form.action
            post = services.save_post(
                request.user, form.save(commit=False), form.cleaned_data["photos"], action
            )
            if form.action == "preview":
                return redirect(post.get_absolute_url())
            messages.success(
                request,
                {
                    "publish": _("Published. It is recorded as evidence for activity 1.1."),
                    "schedule": _("Scheduled for publication."),
                }.get(action, _("Draft saved.")),
            )
            return redirect("news:edit", municipality.slug, post.pk)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "news/edit.html", {"form": form, "post": post})


@municipality_view(Perm.MANAGE_CONTENT)
def categories(request, municipality):
    qs = LocalIssue.objects.filter(municipality=municipality)
    formset = LocalIssueFormSet(request.POST or None, queryset=qs)
    if request.method == "POST":
        if formset.is_valid():
            for obj in formset.save(commit=False):
                if not obj.pk:
                    obj.municipality = municipality
                    obj.code = f"c-{uuid.uuid4().hex[:8]}"
                obj.save()
            messages.success(request, _("Saved."))
            return redirect("news:categories", municipality.slug)
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(request, "news/categories.html", {"formset": formset})
