from django.db.models.signals import post_save
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished

from .middleware import invalidate_anonymous_pages
from .models import SiteSettings


@receiver(page_published)
@receiver(page_unpublished)
def drop_cached_pages(sender, **kwargs):
    invalidate_anonymous_pages()


@receiver(post_save, sender=SiteSettings)
def drop_cached_pages_on_settings(sender, **kwargs):
    invalidate_anonymous_pages()
