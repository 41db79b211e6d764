"""Error pages in Dutch, without technical details (R25): a stranger's 404 looks like any 404,
and a 500 page needs neither the database nor a request context."""

import pytest
from django.template.loader import render_to_string

pytestmark = pytest.mark.django_db


def test_it_answers_a_missing_page_in_dutch(client, cast, login, settings):
    settings.DEBUG = False
    login(cast.anna)
    response = client.get(f"/children/{cast.finn.code}/")  # bram's child: 404 for anna
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.text
    assert "Finn" not in response.text


def test_it_renders_the_server_error_page_without_a_request(django_assert_num_queries):
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
    assert "Er ging iets mis" in html and 'lang="nl"' in html
