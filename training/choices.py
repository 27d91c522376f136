from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    DATA_GOVERNANCE = "data-governance", _("Data governance")
    DIGITAL_SERVICES = "digital-services", _("Digital public services")
    CYBERSECURITY = "cybersecurity", _("Cybersecurity and privacy")
    EGOV_PLATFORMS = "egov-platforms", _("E-government platforms")
    DIGITAL_ECONOMY = "digital-economy", _("Digital economy")
    RURAL_REVITALISATION = "rural-revitalisation", _("Rural revitalisation")


class Audience(models.TextChoices):
    CADRE = "cadre", _("Cadres")
    GRADUATE = "graduate", _("Graduates")
    OPERATOR = "operator", _("Operators")


class EventFormat(models.TextChoices):
    TRAINING_CLASS = "class", _("Professional training class")
    FORUM = "forum", _("Experience-exchange forum")
    EXPO = "expo", _("Digital-economy expo")
    STUDY_VISIT = "visit", _("Study visit")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "truefalse", _("True or false")


class EnrollmentStatus(models.TextChoices):
    ACTIVE = "active", _("In progress")
    COMPLETED = "completed", _("Completed")


class EnrollmentSource(models.TextChoices):
    SELF = "self", _("Self-enrolled")
    ASSIGNED = "assigned", _("Assigned")


class AnomalyKind(models.TextChoices):
    TOO_FAST = "too_fast", _("Heartbeats faster than allowed")
    REPLAYED = "replayed", _("Heartbeat replayed or out of order")
    POSITION_AHEAD = "position_ahead", _("Claimed position ahead of time spent")
    COMPLETION_CLAIM = "completion_claim", _("Completion claimed without the time spent")
    NOT_ENROLLED = "not_enrolled", _("Heartbeat for a lesson not enrolled in")


class HoursSource(models.TextChoices):
    COURSE = "course", _("Online course")
    EVENT = "event", _("Training event")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to run")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
