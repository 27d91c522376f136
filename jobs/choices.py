from django.db import models
from django.utils.translation import gettext_lazy as _


class RoundStage(models.TextChoices):
    """A round's stages, in the only order it may move through them."""

    DRAFT = "draft", _("Draft")
    ANNOUNCED = "announced", _("Announced")
    APPLICATIONS_OPEN = "applications_open", _("Applications open")
    ELIGIBILITY_REVIEW = "eligibility_review", _("Eligibility review")
    SCORING = "scoring", _("Exam and interview scores")
    MATCHING = "matching", _("Matching")
    OFFERS = "offers", _("Offers")
    PUBLIC_NOTICE = "public_notice", _("Public notice")
    ONBOARDING = "onboarding", _("Onboarding")
    CLOSED = "closed", _("Closed")


ROUND_STAGE_ORDER = [stage.value for stage in RoundStage]


class EducationLevel(models.TextChoices):
    JUNIOR_COLLEGE = "junior_college", _("Junior college (dazhuan)")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTOR = "doctor", _("Doctorate")


EDUCATION_RANK = {level.value: rank for rank, level in enumerate(EducationLevel)}


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc_member", _("Member of the Communist Party of China")
    CPC_PROBATIONARY = "cpc_probationary", _("Probationary Party member")
    CYL_MEMBER = "cyl_member", _("Communist Youth League member")
    OTHER_PARTY = "other_party", _("Member of another party")
    NONE = "none", _("The masses (no affiliation)")


class Dialect(models.TextChoices):
    CANTONESE = "cantonese", _("Cantonese")
    HAKKA = "hakka", _("Hakka")
    TEOCHEW = "teochew", _("Teochew")
    LEIZHOU = "leizhou", _("Leizhou")
    OTHER = "other", _("Other dialect")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class HometownRestriction(models.TextChoices):
    NONE = "none", _("No restriction")
    SAME_CITY = "same_city", _("Hometown in the same city")
    SAME_COUNTY = "same_county", _("Hometown in the same county")


class DocumentKind(models.TextChoices):
    DIPLOMA = "diploma", _("Diploma")
    DEGREE = "degree", _("Degree certificate")
    PHOTO = "photo", _("Photo")
    OTHER = "other", _("Other document")


class ConsentKind(models.TextChoices):
    PRIVACY_NOTICE = "privacy_notice", _("Privacy notice")
    SENSITIVE_ID_NUMBER = "sensitive_id_number", _("Sensitive personal information: ID number")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligibility confirmed")
    REJECTED = "rejected", _("Not eligible")
    SCORED = "scored", _("Scores entered")
    MATCHED = "matched", _("Matched")
    UNMATCHED = "unmatched", _("Not matched")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Offer accepted")
    DECLINED = "declined", _("Offer declined")
    EXPIRED = "expired", _("Offer expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PUBLIC_NOTICE = "public_notice", _("On public notice")
    ONBOARDED = "onboarded", _("Onboarded")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Term completed")
    LEFT = "left", _("Left the post")


# Statuses from which a graduate may still edit the ranking or withdraw (window permitting).
APPLICATION_EDITABLE = frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.ELIGIBLE})
# Statuses that end an application for matching purposes.
APPLICATION_CLOSED = frozenset(
    {
        ApplicationStatus.REJECTED,
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.DECLINED,
        ApplicationStatus.EXPIRED,
        ApplicationStatus.COMPLETED,
        ApplicationStatus.LEFT,
    }
)


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting reply")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PlacementStatus(models.TextChoices):
    PUBLIC_NOTICE = "public_notice", _("On public notice")
    ONBOARDED = "onboarded", _("Onboarded")
    IN_SERVICE = "in_service", _("In service")
    COMPLETED = "completed", _("Term completed")
    LEFT = "left", _("Left the post")


# A placement that holds its post's seat.
PLACEMENT_ACTIVE = frozenset(
    {PlacementStatus.PUBLIC_NOTICE, PlacementStatus.ONBOARDED, PlacementStatus.IN_SERVICE}
)


class MatchRunKind(models.TextChoices):
    MATCH = "match", _("Match")
    BACKFILL = "backfill", _("Backfill")
    SIMULATION = "simulation", _("Simulation")


class MatchRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Ready for approval")
    # Offers being made in the background after an officer approved a large run.
    APPROVING = "approving", _("Being approved")
    APPROVED = "approved", _("Approved")
    FAILED = "failed", _("Failed")
