"""Digest rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py)."""

from django.utils import timezone

from jamaat.channels.models import Channel
from jamaat.digests.forms import recent_quarters
from jamaat.digests.models import Digest, DigestShare


def _digest(t):
    year, quarter = recent_quarters()[0]
    digest, _ = Digest.objects.get_or_create(
        municipality=t.municipality,
        year=year,
        quarter=quarter,
        defaults={"title_ky": "MATRIX-DIGEST", "text_ky": "Жаңылыктар"},
    )
    return digest


def _group(t):
    channel, _ = Channel.objects.get_or_create(
        municipality=t.municipality, name="MATRIX-WA", defaults={"kind": "whatsapp_group"}
    )
    return channel


def _share(t):
    share, _ = DigestShare.objects.get_or_create(
        digest=_digest(t),
        channel=_group(t),
        defaults={"municipality": t.municipality, "shared_on": timezone.localdate()},
    )
    return share


def fingerprint():
    return (
        tuple(Digest.objects.order_by("pk").values_list("pk", "title_ky", "status")),
        tuple(DigestShare.objects.order_by("pk").values_list("pk", "channel_id", "shared_on")),
    )


def rows(m):
    Row, needs, u, C, V, DONE, DENIED, LOGIN = (
        m.Row, m.needs, m.u, m.C, m.V, m.DONE, m.DENIED, m.LOGIN,
    )  # fmt: skip

    def write_rule(w):
        """The page is internal (V); its writes need C."""
        if V not in w.perms:
            return LOGIN if w.anon else DENIED
        return DONE if C in w.perms else DENIED

    previous = recent_quarters()[1]

    def new_data(w, t):
        return {"period": f"{previous[0]}-{previous[1]}"}

    def new_done(w, t):
        assert Digest.objects.filter(
            municipality=t.municipality, year=previous[0], quarter=previous[1]
        ).exists()

    def detail_url(w, t):
        return f"/{t.slug}/manage/digests/{_digest(t).pk}/"

    def save_data(w, t):
        return {
            "title_ky": "MATRIX-EDITED",
            "text_ky": "Жаңы текст",
            "title_ru": "",
            "text_ru": "",
            "channel_language": "both",
            "action": "save",
        }

    def save_done(w, t):
        assert Digest.objects.get(pk=_digest(t).pk).title_ky == "MATRIX-EDITED"

    def share_url(w, t):
        _group(t)  # exists before the request, so a refused POST changes nothing
        return f"/{t.slug}/manage/digests/{_digest(t).pk}/share/"

    def share_data(w, t):
        return {"groups": [str(_group(t).pk)], "shared_on": timezone.localdate().isoformat()}

    def share_done(w, t):
        assert DigestShare.objects.filter(digest=_digest(t), channel=_group(t)).exists()

    def delete_url(w, t):
        share = _share(t)
        return f"/{t.slug}/manage/digests/{share.digest_id}/share/{share.pk}/delete/"

    def delete_done(w, t):
        assert not DigestShare.objects.filter(digest=_digest(t)).exists()

    return [
        Row("digests", "<slug>/manage/digests/", "GET", needs(V), u("manage/digests/")),
        Row("digest_new", "<slug>/manage/digests/new/", "GET", needs(C), u("manage/digests/new/")),
        Row("digest_new", "<slug>/manage/digests/new/", "POST", needs(C, DONE),
            u("manage/digests/new/"), data=new_data, done=new_done),
        Row("digest", "<slug>/manage/digests/<pk>/", "GET", needs(V), detail_url),
        Row("digest", "<slug>/manage/digests/<pk>/", "POST", write_rule, detail_url,
            data=save_data, done=save_done),
        Row("digest_share", "<slug>/manage/digests/<pk>/share/", "GET", m.post_only, share_url),
        Row("digest_share", "<slug>/manage/digests/<pk>/share/", "POST", needs(C, DONE),
            share_url, data=share_data, done=share_done),
        Row("digest_share_delete", "<slug>/manage/digests/<pk>/share/<share_pk>/delete/", "GET",
            m.post_only, delete_url),
        Row("digest_share_delete", "<slug>/manage/digests/<pk>/share/<share_pk>/delete/", "POST",
            needs(C, DONE), delete_url, data=lambda w, t: {}, done=delete_done),
    ]  # fmt: skip
