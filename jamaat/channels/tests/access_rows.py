"""Channels rows of the access matrix (collected by jamaat/core/tests/test_access_matrix.py)."""

from jamaat.channels.models import Channel, ChannelSnapshot


def _channel(t):
    channel, _ = Channel.objects.get_or_create(
        municipality=t.municipality, name="MATRIX-CHANNEL", defaults={"kind": "facebook"}
    )
    return channel


def fingerprint():
    return (
        tuple(Channel.objects.order_by("pk").values_list("pk", "name", "kind")),
        tuple(ChannelSnapshot.objects.order_by("pk").values_list("pk", "followers")),
    )


def rows(m):
    Row, needs, u, C, V, DONE = m.Row, m.needs, m.u, m.C, m.V, m.DONE

    def edit_url(w, t):
        return f"/{t.slug}/manage/channels/{_channel(t).pk}/"

    def channel_data(w, t):
        return {"kind": "telegram", "name": "MATRIX-TG", "url": "https://t.me/x", "is_active": "on"}

    def channel_done(w, t):
        assert Channel.objects.filter(municipality=t.municipality, name="MATRIX-TG").exists()

    def counts_url(w, t):
        _channel(t)  # exists before the request, so a refused POST changes nothing
        return f"/{t.slug}/manage/channels/counts/"

    def counts_data(w, t):
        return {"month": "2026-01", f"c{_channel(t).pk}": "777"}

    def counts_done(w, t):
        assert ChannelSnapshot.objects.filter(channel=_channel(t), followers=777).exists()

    return [
        Row("channels", "<slug>/manage/channels/", "GET", needs(V), u("manage/channels/")),
        Row("channel_new", "<slug>/manage/channels/new/", "GET", needs(C), u("manage/channels/new/")),
        Row("channel_new", "<slug>/manage/channels/new/", "POST", needs(C, DONE),
            u("manage/channels/new/"), data=channel_data, done=channel_done),
        Row("channel_edit", "<slug>/manage/channels/<pk>/", "GET", needs(C), edit_url),
        Row("channel_edit", "<slug>/manage/channels/<pk>/", "POST", needs(C, DONE), edit_url,
            data=channel_data, done=channel_done),
        Row("counts", "<slug>/manage/channels/counts/", "GET", needs(C), u("manage/channels/counts/")),
        Row("counts", "<slug>/manage/channels/counts/", "POST", needs(C, DONE),
            counts_url, data=counts_data, done=counts_done),
    ]  # fmt: skip
