from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RegionLevel

PATH_SEPARATOR = "/"


class RegionQuerySet(models.QuerySet):
    def descendants_of(self, region: "Region", *, include_self: bool = True) -> "RegionQuerySet":
        """Everything below `region` in one indexed prefix query."""
        qs = self.filter(path__startswith=region.path)
        return qs if include_self else qs.exclude(pk=region.pk)


class Region(models.Model):
    """One of Guangdong's administrative divisions, with its official code.

    `path` is the materialised chain of ancestor codes ("440000/441400/441403/"), so that
    "this region and everything below it" is a single prefix lookup on an index.
    """

    code = models.CharField(_("official code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64, db_index=True)
    level = models.CharField(_("level"), max_length=8, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=80, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(editable=False)
    under_served = models.BooleanField(
        _("under-served (eastern, western and northern Guangdong)"), default=False
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level__in=RegionLevel.values), name="region_level_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(parent__isnull=True, level=RegionLevel.PROVINCE)
                | models.Q(parent__isnull=False) & ~models.Q(level=RegionLevel.PROVINCE),
                name="region_only_province_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return [code for code in self.path.split(PATH_SEPARATOR) if code][:-1]

    def contains(self, other: "Region") -> bool:
        """True when `other` is this region or lies below it."""
        return other.path.startswith(self.path)
