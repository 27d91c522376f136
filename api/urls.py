from ninja import NinjaAPI

from .endpoints.accounts import router as accounts_router
from .endpoints.jobs_applications import router as jobs_applications_router
from .endpoints.jobs_hr import router as jobs_hr_router
from .endpoints.jobs_matching import router as jobs_matching_router
from .endpoints.jobs_profile import router as jobs_profile_router
from .endpoints.jobs_public import router as jobs_public_router
from .endpoints.regions import router as regions_router
from .endpoints.training import router as training_router
from .endpoints.training_certificates import router as training_certificates_router
from .endpoints.training_events import router as training_events_router
from .errors import register_error_handlers

api = NinjaAPI(
    title="乡村数字人才平台 API · Rural Digital Talent Platform API",
    version="1.0.0",
    description=(
        "数据可以通过本接口离开平台。认证：浏览器会话（写操作需 CSRF）或个人 API 令牌 "
        "`Authorization: Bearer <token>`。\n\n"
        "Everything the platform holds can leave it through this API. Authenticate with the browser "
        "session (CSRF on writes) or a personal API token: `Authorization: Bearer <token>`. "
        "Errors are JSON: `{code, message, errors[]}`."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
register_error_handlers(api)
api.add_router("", accounts_router)
api.add_router("", regions_router)
api.add_router("", training_router)
api.add_router("", training_events_router)
api.add_router("", training_certificates_router)
api.add_router("", jobs_public_router)
api.add_router("", jobs_profile_router)
api.add_router("", jobs_applications_router)
api.add_router("", jobs_hr_router)
api.add_router("", jobs_matching_router)
