from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CADRE = "cadre", _("Cadre")
    GRADUATE = "graduate", _("Graduate")
    OPERATOR = "operator", _("Service-station operator")
    HR_OFFICER = "hr", _("HR officer")
    TRAINING_EDITOR = "editor", _("Training editor")
    ADMIN = "admin", _("Administrator")


# Roles whose holders see other people's data: they must sign in with a second factor.
PRIVILEGED_ROLES = frozenset({Role.HR_OFFICER, Role.TRAINING_EDITOR, Role.ADMIN})
# Roles that act on a region and everything below it.
SCOPED_ROLES = frozenset({Role.HR_OFFICER, Role.TRAINING_EDITOR})


class AuditAction(models.TextChoices):
    ID_NUMBER_REVEAL = "id_number_reveal", _("ID number revealed")
    DOCUMENT_DOWNLOAD = "document_download", _("Document downloaded")
    EXPORT = "export", _("Export")
    STATUS_CHANGE = "status_change", _("Status changed")
    DATA_DOWNLOAD = "data_download", _("Own data downloaded")
    ACCOUNT_DELETE = "account_delete", _("Account deleted")
    PROFILE_UPDATE = "profile_update", _("Profile updated")
