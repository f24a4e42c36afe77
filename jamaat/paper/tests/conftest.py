"""Paper tests read English messages: the UI defaults to Kyrgyz now that it is translated."""

import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture
def client():
    c = Client()
    c.cookies["django_language"] = "en"
    return c


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield
