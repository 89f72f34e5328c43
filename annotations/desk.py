"""The desk at a glance: five figures, each a table of numbers (for the
page's tables and CSV downloads) and a bar chart of them (annotations.charts).

The definitions, exactly (dates and weeks are UTC; weeks are ISO weeks,
Monday to Sunday; the period is widened to whole weeks, or whole months for
the corrections):

- checked: claims first published (approved for readers for the first
  time) in the week, by the verdict they were first published with;
  retracted claims still count in the week they were first published.
- time to publish: per week of first publication, the median time from the
  article's import (its first import: articles.created_at) to the claim's
  first publication, in hours, with how many claims it is the median of.
- corrections: the corrections readers were told of (approved revisions of
  a published claim with a correction note), per month, split into those
  that changed the verdict and those that changed only the label or
  rationale.
- review queue: the claims in review now (waiting for an editor), by how
  long since they were last submitted.
- factcheckers: the claims each person created in the period, by the state
  of the desk's working copy now (as the Claims page shows it).
"""

import csv
import datetime
import io
import statistics
from dataclasses import dataclass

from .charts import Chart, bar_chart
from .exports import CSV_DIALECT, neutralise
from .models import CLAIM_STATUSES, VERDICT_DISPLAY, VERDICTS, DomainError
from .workflow import STATUS_WORDS

DEFAULT_WEEKS = 26
MAX_PERIOD_DAYS = 731  # two years of weekly bars is as many as a chart can show
# The last day a period may reach: its week's and month's ends (the day after
# the last bar) must still be dates Python can represent.
LAST_DAY = datetime.date(9998, 12, 31)
# The review queue's age buckets: (upper bound in hours or None, label).
AGE_BUCKETS = ((24, "under 1 day"), (72, "1–3 days"), (168, "3–7 days"),
               (336, "1–2 weeks"), (None, "2 weeks or more"))
CORRECTION_KINDS = (("verdict", "Verdict changed"), ("other", "Label or rationale only"))
NO_ACCOUNT = "(system or deleted account)"
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Period:
    """The dates the page covers, both inclusive, as asked."""
    since: datetime.date
    until: datetime.date

    @classmethod
    def default(cls, today: datetime.date) -> "Period":
        """This week and the DEFAULT_WEEKS - 1 before it."""
        return cls(monday(today) - datetime.timedelta(weeks=DEFAULT_WEEKS - 1), today)

    def check(self) -> None:
        for field in ("since", "until"):
            if getattr(self, field) > LAST_DAY:
                raise DomainError(field, f"a date no later than {LAST_DAY.isoformat()}, please")
        if self.since > self.until:
            raise DomainError("until", "the period ends before it starts")
        if (self.until - self.since).days >= MAX_PERIOD_DAYS:
            raise DomainError("since", f"the period is at most {MAX_PERIOD_DAYS} days")

    def weeks(self) -> list[datetime.date]:
        """The Monday of every week the period touches."""
        first, last = monday(self.since), monday(self.until)
        return [first + datetime.timedelta(weeks=n) for n in range((last - first).days // 7 + 1)]

    def week_range(self) -> tuple[str, str]:
        weeks = self.weeks()
        return weeks[0].isoformat(), (weeks[-1] + datetime.timedelta(weeks=1)).isoformat()

    def months(self) -> list[tuple[int, int]]:
        months, (year, month) = [], (self.since.year, self.since.month)
        while (year, month) <= (self.until.year, self.until.month):
            months.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months

    def month_range(self) -> tuple[str, str]:
        year, month = self.months()[-1]
        after = (year + 1, 1) if month == 12 else (year, month + 1)
        return self.since.replace(day=1).isoformat(), datetime.date(*after, 1).isoformat()

    def day_range(self) -> tuple[str, str]:
        return self.since.isoformat(), (self.until + datetime.timedelta(days=1)).isoformat()


@dataclass
class Figure:
    """One figure: its numbers as a table (a row per category, a column per
    series, then any further columns) and how the page draws them."""
    name: str                 # in its CSV's address: /desk/<name>.csv
    title: str
    definition: str
    category_heading: str
    categories: list[str]     # as the table and CSV write them
    short_categories: list[str]  # as the chart's axis writes them
    series: list[str]
    values: list[list]        # values[i][j]: category i, series j (None: no value)
    extra_headings: tuple = ()
    extra_values: tuple = ()  # a list per extra heading, one value per category
    empty_text: str = "Nothing yet."
    whole: bool = True        # counts, not measures
    horizontal: bool = False
    unit: str = "claims"

    @property
    def empty(self) -> bool:
        return not any(value is not None and (value != 0 or not self.whole)
                       for row in self.values for value in row)

    def headings(self) -> list[str]:
        return [self.category_heading, *self.series, *self.extra_headings]

    def rows(self) -> list[list[str]]:
        """The table's cells as text, as the page and the CSV show them."""
        return [[category, *(_cell(v) for v in row), *(_cell(extra[i]) for extra in
                                                        self.extra_values)]
                for i, (category, row) in enumerate(zip(self.categories, self.values))]

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, **CSV_DIALECT)
        writer.writerow(self.headings())
        # Names come from users: a cell a spreadsheet would run is made text.
        writer.writerows([[neutralise(cell) for cell in row] for row in self.rows()])
        return out.getvalue()

    def chart(self) -> Chart:
        if self.whole:
            return bar_chart(self.short_categories, self.series, self.values,
                             value_text=_cell, horizontal=self.horizontal)
        # Durations in hours, labelled in days from two days on: ticks in whole days then.
        longest = max((v for row in self.values for v in row if v is not None), default=0)
        return bar_chart(self.short_categories, self.series, self.values, value_text=_hours,
                         whole=False, horizontal=self.horizontal,
                         tick_unit=24 if longest >= 48 else 1)

    def description(self) -> str:
        """The chart's text alternative, in brief (the table has every number)."""
        if self.empty:
            return self.empty_text
        totals = [sum(v or 0 for v in row) for row in self.values]
        peak = max(range(len(totals)), key=totals.__getitem__)
        kind = "median" if not self.whole else "total"
        return (f"{len(self.categories)} bars ({self.category_heading.lower()}), "
                f"{' / '.join(self.series)}; the highest {kind} is "
                f"{_cell(totals[peak])} {self.unit} ({self.categories[peak]}).")


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)


def _hours(value: float) -> str:
    """A duration for a label: hours under two days, else days."""
    text = f"{value:.1f} h" if value < 48 else f"{value / 24:.1f} d"
    return text.replace(".0 ", " ")


def _week_name(day: datetime.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d} ({day.isoformat()})"


def _short_week(day: datetime.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1]}"


# -- the five figures ---------------------------------------------------------------


def checked_per_week(store, period: Period, site: str | None = None) -> Figure:
    weeks = period.weeks()
    index = {w.isoformat(): i for i, w in enumerate(weeks)}
    values = [[0] * len(VERDICTS) for _ in weeks]
    for week, verdict, count in store.checked_per_week(*period.week_range(), site):
        values[index[week]][VERDICTS.index(verdict)] = count
    return Figure(
        "checked", "Claims checked per week",
        "Claims first published in each ISO week (Monday to Sunday, UTC), by the verdict they "
        "were first published with. A later correction does not move a claim; retracted "
        "claims still count in their week.",
        "Week", [_week_name(w) for w in weeks], [_short_week(w) for w in weeks],
        [VERDICT_DISPLAY[v]["word"] for v in VERDICTS], values,
        ("Total",), ([sum(row) for row in values],),
        empty_text="Nothing yet: no claim was first published in this period.")


def time_to_publish(store, period: Period, site: str | None = None) -> Figure:
    weeks = period.weeks()
    index = {w.isoformat(): i for i, w in enumerate(weeks)}
    delays: list[list[float]] = [[] for _ in weeks]
    week_of_day: dict[str, int] = {}
    for day, hours in store.publish_delays(*period.week_range(), site):
        if day not in week_of_day:
            week_of_day[day] = index[monday(datetime.date.fromisoformat(day)).isoformat()]
        delays[week_of_day[day]].append(hours)
    medians = [[round(statistics.median(d), 2) if d else None] for d in delays]
    return Figure(
        "time-to-publish", "Median time from import to publish",
        "For the claims first published in each ISO week: the median time from their "
        "article's first import to the claim's first publication, in hours (an even count "
        "takes the mean of the middle two). Weeks with no claim published have none.",
        "Week", [_week_name(w) for w in weeks], [_short_week(w) for w in weeks],
        ["Median hours"], medians, ("Claims published",), ([len(d) for d in delays],),
        empty_text="Nothing yet: no claim was first published in this period.",
        whole=False, unit="hours")


def corrections_per_month(store, period: Period, site: str | None = None) -> Figure:
    months = period.months()
    index = {f"{y:04d}-{m:02d}": i for i, (y, m) in enumerate(months)}
    values = [[0, 0] for _ in months]
    for month, verdict_changed, count in store.corrections_per_month(*period.month_range(),
                                                                     site):
        values[index[month]][0 if verdict_changed else 1] = count
    return Figure(
        "corrections", "Corrections per month",
        "Corrections readers were told of (an approved revision of a published claim, with "
        "its correction note), by the month (UTC) it was approved: those that changed the "
        "verdict, and those that changed only the label or rationale.",
        "Month", [f"{y:04d}-{m:02d}" for y, m in months],
        [f"{MONTH_NAMES[m - 1]} {y}" for y, m in months],
        [label for _, label in CORRECTION_KINDS], values, ("Total",),
        ([sum(row) for row in values],), unit="corrections",
        empty_text="Nothing yet: no correction in this period.")


def review_queue(store, now: datetime.datetime, site: str | None = None) -> Figure:
    counts = [0] * len(AGE_BUCKETS)
    for hours in store.review_queue_ages(now.isoformat(timespec="microseconds"), site):
        counts[next(i for i, (bound, _) in enumerate(AGE_BUCKETS)
                    if bound is None or hours < bound)] += 1
    labels = [label for _, label in AGE_BUCKETS]
    return Figure(
        "review-queue", "Open review queue by age",
        "Claims in review now (submitted, waiting for an editor), by how long since they were "
        "last submitted. Not limited to the period: it is the queue as it stands.",
        "Waiting", labels, labels, ["Claims"], [[c] for c in counts],
        empty_text="Nothing yet: no claim is waiting for review.")


def per_factchecker(store, period: Period, site: str | None = None) -> Figure:
    by_person: dict[str, list[int]] = {}
    for username, status, count in store.claims_per_author(*period.day_range(), site):
        row = by_person.setdefault(username or NO_ACCOUNT, [0] * len(CLAIM_STATUSES))
        row[CLAIM_STATUSES.index(status)] += count
    people = sorted(by_person, key=lambda name: (-sum(by_person[name]), name.casefold()))
    values = [by_person[name] for name in people]
    return Figure(
        "factcheckers", "Claims per factchecker",
        "The claims each person created in the period, by the state of the desk's working "
        "copy now (a published claim being revised counts as its revision's state, as on the "
        "Claims page).",
        "Factchecker", people, people, [STATUS_WORDS[s].capitalize() for s in CLAIM_STATUSES],
        values, ("Total",), ([sum(row) for row in values],), horizontal=True,
        empty_text="Nothing yet: nobody created a claim in this period.")


FIGURES = {"checked": checked_per_week, "time-to-publish": time_to_publish,
           "corrections": corrections_per_month, "review-queue": review_queue,
           "factcheckers": per_factchecker}


def figure(name: str, store, period: Period, now: datetime.datetime,
           site: str | None = None) -> Figure:
    build = FIGURES[name]
    return build(store, now, site) if build is review_queue else build(store, period, site)


def all_figures(store, period: Period, now: datetime.datetime,
                site: str | None = None) -> list[Figure]:
    return [figure(name, store, period, now, site) for name in FIGURES]
