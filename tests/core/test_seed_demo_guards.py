"""`manage.py seed_demo` refuses to run where it must not, and writes nothing then."""

import io

from django.core.management import CommandError, call_command

import pytest

from accounts.models import User
from cms.models import HomePage
from tests.factories import load_small_regions

pytestmark = pytest.mark.django_db


def test_seed_demo_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    load_small_regions()

    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo", stdout=io.StringIO())

    assert not User.objects.exists()
    assert not HomePage.objects.exists()


def test_seed_demo_asks_for_regions_first(db, settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="import_regions"):
        call_command("seed_demo", stdout=io.StringIO())

    assert not User.objects.exists()
    assert not HomePage.objects.exists()
