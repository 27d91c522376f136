from django.db import models
from django.utils.translation import gettext_lazy as _


class Major(models.Model):
    """An undergraduate major of the national catalogue (普通高等学校本科专业目录)."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=64, db_index=True)
    class_code = models.CharField(max_length=4, db_index=True)
    class_name = models.CharField(_("class"), max_length=64)
    category_code = models.CharField(max_length=2, db_index=True)
    category_name = models.CharField(_("category"), max_length=32)

    class Meta:
        verbose_name = _("major")
        verbose_name_plural = _("majors")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class University(models.Model):
    """A university in Guangdong (教育部 list); graduates of others type the name."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    city = models.CharField(_("city"), max_length=16)
    city_code = models.CharField(max_length=6)
    moe_code = models.CharField(max_length=10, blank=True)
    authority = models.CharField(max_length=32, blank=True)
    level = models.CharField(_("level"), max_length=8)

    class Meta:
        verbose_name = _("university")
        verbose_name_plural = _("universities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
