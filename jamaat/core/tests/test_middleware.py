import gzip

from jamaat.core.middleware import TextGZipMiddleware


def test_html_is_gzipped_for_phones(client, mun_a):
    r = client.get("/karool/", HTTP_ACCEPT_ENCODING="gzip")
    assert r.status_code == 200
    assert r["Content-Encoding"] == "gzip"
    assert "Кароол".encode() in gzip.decompress(r.content)


def test_photos_are_not_gzipped_again(rf):
    from django.http import HttpResponse

    request = rf.get("/media/news/x.jpg", HTTP_ACCEPT_ENCODING="gzip")
    jpeg = HttpResponse(b"\xff\xd8" + b"x" * 500, content_type="image/jpeg")
    out = TextGZipMiddleware(lambda r: jpeg)(request)
    assert "Content-Encoding" not in out
