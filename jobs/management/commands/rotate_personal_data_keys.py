from django.core.management.base import BaseCommand

from jobs.services.personal_data import personal_data_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored resident ID number under the first key of PERSONAL_DATA_KEYS. "
        "Idempotent and safe to interrupt; see docs/operations.md, 'Personal data keys'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size=500, **options):
        counts = personal_data_keys_rotate(batch_size=batch_size, stdout=self.stdout)
        self.stdout.write(
            f"{counts['rotated']} ID numbers re-encrypted under the first key; "
            f"{counts['current']} were already under it."
        )
