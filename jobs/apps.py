from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = _("Jobs")

    def ready(self):
        from regions.signals import regions_changed

        from .signals import posts_follow_regions

        regions_changed.connect(posts_follow_regions, dispatch_uid="jobs.posts_follow_regions")
