from django.core.management.base import BaseCommand

from accounts.audit import audit_log_purge, audit_retention_days


class Command(BaseCommand):
    help = (
        "Delete audit records older than the retention period: max(180, AUDIT_RETENTION_DAYS) "
        "days. The only way records leave the audit log."
    )

    def handle(self, *args, **options):
        deleted = audit_log_purge()
        self.stdout.write(
            f"{deleted} audit records older than {audit_retention_days()} days deleted."
        )
