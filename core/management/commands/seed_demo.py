import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import seed_demo_accounts, seed_scale_hr_officers
from cms.demo import seed_demo_pages
from jobs.demo import seed_demo_jobs, seed_scale_jobs
from regions.models import Region
from training.demo import seed_demo_training, seed_scale_training

EXPECTED_REGIONS = 28_639


class Command(BaseCommand):
    help = "Create demo pages and accounts (idempotent). Only on a development machine (DEBUG on)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["province"],
            help="Also create the province-scale benchmark data set.",
        )

    def handle(self, *args, scale: str | None = None, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo refuses to run with DEBUG off: demo accounts share a public password."
            )
        if not Region.objects.exists():
            raise CommandError(
                "No regions yet. Run: python manage.py import_regions ../shared/data/regions-guangdong.csv"
            )
        seed_demo_pages()
        accounts = seed_demo_accounts()
        catalogue = seed_demo_training()
        self.stdout.write(
            f"Training: {len(catalogue['courses'])} courses, 1 learning path, "
            f"{len(catalogue['events'])} events, in Chinese and English."
        )
        started = time.perf_counter()
        jobs = seed_demo_jobs()
        self.stdout.write(
            f"Jobs: open round “{jobs.open_round.name}” with {jobs.open_posts} posts and "
            f"{jobs.open_applications} applications; closed round “{jobs.closed_round.name}” "
            f"with {jobs.placements} placements and its public notice "
            f"({time.perf_counter() - started:.1f} s)."
        )
        if scale == "province":
            if Region.objects.count() < EXPECTED_REGIONS:
                raise CommandError(
                    "The province-scale data set needs the full regions file imported."
                )
            officers = seed_scale_hr_officers()
            self.stdout.write(f"Scale: {officers} HR officers, one per city and county.")
            result = seed_scale_training(log=self.stdout.write)
            self.stdout.write(
                f"Scale: {result.cadres:,} cadres ({result.cadres_created:,} new), "
                f"{result.progress:,} lesson-progress rows ({result.progress_created:,} new) "
                f"in {result.seconds:.0f} s."
            )
            jobs_scale = seed_scale_jobs(log=self.stdout.write)
            self.stdout.write(
                f"Scale: {jobs_scale.rounds:,} recruitment rounds, {jobs_scale.posts:,} posts, "
                f"{jobs_scale.graduates:,} graduates ({jobs_scale.graduates_created:,} new) with "
                f"{jobs_scale.preferences:,} preferences in {jobs_scale.seconds:.0f} s."
            )
        self.stdout.write(self.style.SUCCESS("Demo content is ready."))
        self.stdout.write("")
        self.stdout.write(f"演示账号 Demo logins (password 密码: {settings.DEMO_PASSWORD})")
        for email, role in accounts:
            self.stdout.write(f"  {email:<26} {role}")
        self.stdout.write("")
        site = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        self.stdout.write(f"网站 Site: {site}/   管理后台 Admin: {site}/zh-hans/admin/")
