from tests.cms.support import (  # noqa: F401 (fixtures)
    _demo_site,
    admin_client_with_mfa,
    demo_pages,
    empty_cache,
)
