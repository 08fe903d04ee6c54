"""The consultation domain's tables (SQLModel). Importing this registers them all on the metadata."""

from sqlmodel import SQLModel

from ._base import utcnow
from .analysis_run import (
    AnalysisRun,
    EvaluationCode,
    RunAnswer,
    RunModel,
    Theme,
    ThemeAssignment,
    ThemeEdit,
    ThemeTally,
)
from .answer import Answer
from .audit import AuditEvent
from .consultation import STATUSES, Consultation
from .held_disclosure import HeldDisclosure
from .job import Job
from .outbox import MAIL_KINDS, OutboxMessage
from .outcome_subscription import OutcomeSubscription
from .page import PAGE_KINDS, Page
from .publication import PublicationVersion
from .question import Question
from .respondent import CHANNELS, Respondent
from .response_entry import ResponseEntry
from .safeguarding_review import OUTCOMES, SafeguardingReview
from .security import RateCounter, UserSession
from .user import ROLES, ConsultationAccess, User
from .withdrawn import WithdrawnResponse
from .workshop import Workshop

metadata = SQLModel.metadata

__all__ = [
    "OUTCOMES", "PAGE_KINDS", "ROLES", "STATUSES", "AnalysisRun", "Answer", "AuditEvent", "Consultation",
    "ConsultationAccess", "EvaluationCode", "Job",
    "Page", "Question", "RateCounter", "Respondent", "RunAnswer", "RunModel", "SafeguardingReview", "Theme",
    "ThemeAssignment",
    "ThemeEdit", "ThemeTally", "User", "UserSession", "Workshop", "metadata", "utcnow",
    "MAIL_KINDS", "OutboxMessage",
    "CHANNELS", "ResponseEntry",
    "OutcomeSubscription", "PublicationVersion",
    "WithdrawnResponse", "HeldDisclosure",
]
