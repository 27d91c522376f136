from .applications import Application, ApplicationEvent, Offer, Placement, Preference
from .exports import ExportJob, ExportStatus
from .matching import MatchResult, MatchRun, PostCutoff
from .pages import PublicNoticePage, RecruitmentIndexPage, RoundAnnouncementPage
from .profiles import ConsentRecord, GraduateDocument, GraduateProfile, private_storage
from .reference import Major, University
from .rounds import DEFAULT_POST_TITLE, Post, RecruitmentRound, RoundTransition

__all__ = [
    "DEFAULT_POST_TITLE",
    "Application",
    "ApplicationEvent",
    "ConsentRecord",
    "ExportJob",
    "ExportStatus",
    "GraduateDocument",
    "GraduateProfile",
    "Major",
    "MatchResult",
    "MatchRun",
    "Offer",
    "Placement",
    "Post",
    "PostCutoff",
    "Preference",
    "PublicNoticePage",
    "RecruitmentIndexPage",
    "RecruitmentRound",
    "RoundAnnouncementPage",
    "RoundTransition",
    "University",
    "private_storage",
]
