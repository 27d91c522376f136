from django.core.management.base import BaseCommand

from jobs.services.reference import reference_data_import


class Command(BaseCommand):
    help = "Load the major catalogue and Guangdong's universities from SHARED_DATA_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=None)

    def handle(self, *args, data_dir=None, **options):
        result = reference_data_import(data_dir=data_dir)
        self.stdout.write(f"{result.majors} majors, {result.universities} universities.")
