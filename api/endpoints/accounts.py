from ninja import Router, Schema

from api.auth import token_or_session
from api.schemas import ErrorOut

router = Router(tags=["accounts"])


class RoleOut(Schema):
    role: str
    label: str
    region_code: str | None
    region_name: str | None


class MeOut(Schema):
    email: str
    full_name: str
    preferred_language: str
    home_region_code: str | None
    roles: list[RoleOut]


@router.get(
    "/me", response={200: MeOut, 401: ErrorOut}, auth=token_or_session, summary="The signed-in user"
)
def me(request):
    user = request.user
    return {
        "email": user.email,
        "full_name": user.full_name,
        "preferred_language": user.preferred_language,
        "home_region_code": user.home_region.code if user.home_region_id else None,
        "roles": [
            {
                "role": grant.role,
                "label": str(grant.get_role_display()),
                "region_code": grant.region.code if grant.region else None,
                "region_name": grant.region.name if grant.region else None,
            }
            for grant in user.role_grants
        ],
    }
