"""Demo content for `seed_demo`: the training catalogue, the demo people's learning, and the
province-scale benchmark data set (`seed_demo --scale province`)."""

from django.conf import settings
from django.db import transaction

from cms.models import HomePage

from .learning import seed_demo_learning
from .pages import seed_catalogue
from .scale import ScaleResult, seed_scale_training


@transaction.atomic
def seed_demo_training() -> dict:
    """The catalogue (9 courses, a learning path, 3 events, in Chinese and English) and the demo
    people's records. Idempotent: what exists (looked up by slug) is left as it is."""
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if home is None:
        raise ValueError("No home page: seed the demo pages first (cms.demo.seed_demo_pages).")
    catalogue = seed_catalogue(home=home)
    learning = seed_demo_learning(
        courses=catalogue["courses"], path=catalogue["path"], events=catalogue["events"]
    )
    return {**catalogue, "learning": learning}


__all__ = ["ScaleResult", "seed_demo_training", "seed_scale_training"]
