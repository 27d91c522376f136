"""The rounds fixtures (regions, officers, a graduate) for the early search tests."""

from tests.jobs.rounds.conftest import (  # noqa: F401
    admin_user,
    clean_cache,
    graduate,
    hr_meixian,
    private_storage,
    regions,
)
from tests.jobs.rounds.test_public import posts  # noqa: F401
