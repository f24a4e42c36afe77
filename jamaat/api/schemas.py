"""Response schemas of the public read-only API (`/api/v1/`).

Field names are a contract other tools depend on: add fields only with care, never rename.
"""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

YearKey = str  # a calendar year as a string, e.g. "2025" (JSON object keys are strings)


class ErrorOut(Schema):
    detail: str = Field(..., description="What went wrong, in English.")


class ParameterErrorOut(Schema):
    detail: str = Field(
        ...,
        description="What went wrong, e.g. \"Invalid date in parameter 'from': expected "
        'YYYY-MM-DD".',
    )
    parameter: str = Field(..., description="The name of the offending query parameter.")


class MunicipalityOut(Schema):
    """A municipality (aiyl aimak or city): the tenant the plans belong to."""

    slug: str = Field(..., description="Stable identifier used in URLs.", examples=["karool"])
    name_ky: str = Field(..., description="Name in Kyrgyz.")
    name_ru: str = Field(..., description="Name in Russian.")
    name_en: str = Field(..., description="Name in English (may be empty).")
    kind: Literal["aiyl_aimak", "city"] = Field(..., description="Aiyl aimak or city.")
    oblast_ky: str = Field(..., description="Oblast (region) in Kyrgyz.")
    oblast_ru: str = Field(..., description="Oblast (region) in Russian.")
    district_ky: str = Field(
        ..., description="District in Kyrgyz (empty for cities of oblast rank)."
    )
    district_ru: str = Field(
        ..., description="District in Russian (empty for cities of oblast rank)."
    )
    population: int = Field(..., description="Number of inhabitants.")
    population_year: int = Field(..., description="Year the population figure refers to.")


class GoalOut(Schema):
    number: int = Field(..., description="Goal number (1, 2, 3…); activity codes start with it.")
    title_ky: str
    title_ru: str


class IndicatorOut(Schema):
    key: str = Field(
        ..., description="Stable key of the indicator.", examples=["1.5.population_informed"]
    )
    text_ky: str
    text_ru: str
    unit: Literal["percent", "count", "none"] = Field(
        ..., description="`percent`: % of population; `count`: a number; `none`: no number."
    )
    targets: dict[YearKey, float | None] = Field(
        ...,
        description="Target per year of the plan period (year as a string); null when not set.",
        examples=[{"2025": 30.0, "2026": 30.0, "2027": 30.0, "2028": 30.0}],
    )


class ActivityOut(Schema):
    code: str = Field(..., description="Activity code, `<goal>.<n>`.", examples=["1.5"])
    goal: int = Field(..., description="Number of the goal the activity belongs to.")
    title_ky: str = Field(..., description="The activity, in Kyrgyz.")
    title_ru: str = Field(..., description="The activity, in Russian.")
    title_en: str = Field(..., description="The activity, in English (may be empty).")
    deadline_text_ky: str = Field(..., description="Deadline as written in the plan (Kyrgyz).")
    deadline_text_ru: str = Field(..., description="Deadline as written in the plan (Russian).")
    rule: str = Field(
        ...,
        description="Schedule rule that turns the deadline into dated occurrences.",
        examples=["monthly_on_day"],
    )
    rule_params: dict = Field(..., description="Parameters of the rule.", examples=[{"day": 25}])
    budget_source: Literal["none", "local"] = Field(
        ..., description="`none`: no budget required; `local`: local budget."
    )
    responsible_roles: list[str] = Field(
        ...,
        description="Roles responsible (head, staff, council_chair, deputy).",
        examples=[["head", "staff"]],
    )
    indicators: list[IndicatorOut]
    targets: dict[YearKey, dict[str, float | None]] = Field(
        ...,
        description="Targets by year: year (string) → indicator key → target (null when not "
        "set). The same numbers as `indicators[].targets`, arranged per year.",
        examples=[{"2025": {"1.5.population_informed": 30.0}}],
    )


class PlanOut(Schema):
    status: Literal["draft", "approved"] = Field(
        ..., description="Only approved plans are public; drafts are visible to insiders only."
    )
    start_year: int
    end_year: int
    period: str = Field(..., description="`start_year–end_year` (en dash).", examples=["2025–2028"])
    template_version: str = Field(..., description="Version of the model plan it was adopted from.")
    approved_at: datetime | None = Field(..., description="When the plan was approved.")
    goals: list[GoalOut]
    activities: list[ActivityOut] = Field(..., description="Activities in plan order.")


class OccurrenceOut(Schema):
    id: int
    activity: str = Field(..., description="Code of the activity.", examples=["1.5"])
    due: date = Field(..., description="Due date.", examples=["2025-01-25"])
    window_start: date = Field(..., description="First day of the window for the work.")
    window_end: date = Field(..., description="Last day of the window for the work.")
    status: Literal["planned", "done", "not_done"] = Field(
        ..., description="Stored status: planned, done or not_done."
    )
    overdue: bool = Field(
        ..., description="True when still `planned` and the due date is before today."
    )
