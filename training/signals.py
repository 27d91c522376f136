"""Drop cached lesson pages (training/lesson_page.py) when a page's URL or view restrictions change.

Publishing and unpublishing already drop them: their keys include the anonymous page cache's
generation, which cms/signals.py bumps.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.models import PageViewRestriction
from wagtail.signals import page_slug_changed, post_page_move

from .lesson_page import invalidate_lesson_pages
from .models import CoursePage, LessonPage


@receiver(post_page_move)
@receiver(page_slug_changed)
def drop_on_move(sender, **kwargs):
    invalidate_lesson_pages()


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def drop_on_restriction(sender, **kwargs):
    invalidate_lesson_pages()


@receiver(post_delete, sender=LessonPage)
@receiver(post_delete, sender=CoursePage)
def drop_on_delete(sender, **kwargs):
    invalidate_lesson_pages()
