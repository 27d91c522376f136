from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")


LEVEL_DEPTH = {
    RegionLevel.PROVINCE: 0,
    RegionLevel.CITY: 1,
    RegionLevel.COUNTY: 2,
    RegionLevel.TOWNSHIP: 3,
    RegionLevel.VILLAGE: 4,
}

# The 12 cities of eastern, western and northern Guangdong (粤东西北), by official code.
UNDER_SERVED_CITY_CODES = frozenset(
    {
        "440500",  # 汕头
        "441500",  # 汕尾
        "445100",  # 潮州
        "445200",  # 揭阳
        "440800",  # 湛江
        "440900",  # 茂名
        "441700",  # 阳江
        "440200",  # 韶关
        "441600",  # 河源
        "441400",  # 梅州
        "441800",  # 清远
        "445300",  # 云浮
    }
)
