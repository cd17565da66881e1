"""explain(): the working of an achievement in words and numbers a reviewer can check.

The general path records its steps (:func:`~iki_core.engine.general.work`, typed records
of :mod:`iki_core.engine.steps`); this module puts them into the words of the catalogue's
``explain.*`` section, the statuses' ``status.*`` labels and the month names of
``period.months``, in any language with a catalogue. Each percent is written with the
``working`` of the formula that computed it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Final

from iki_core.engine.compiled import CompiledIndicator, Entry, PeriodFacts, YearTargets
from iki_core.engine.general import work
from iki_core.engine.ratios import EXACT, Ratio
from iki_core.engine.results import Achievement, Status
from iki_core.engine.steps import PercentStep, RealisedStep, TargetStep, Working
from iki_core.engine.words import local_number
from iki_core.messages import text, words
from iki_core.numbers import round_half_up
from iki_core.periods import Period, PeriodKind
from iki_core.rules import Rounding, Rules, default_rules
from iki_core.units import PERCENT

__all__ = ["explain"]

_APPROX: Final = "\u2248 "
_ARROW: Final = " \u2192 "


def explain(a: Achievement, lang: str) -> str:
    """The derivation of ``a`` in ``lang``: it is computed again on the general path,
    which records every step."""
    rules: Rules = a._rules if a._rules is not None else default_rules()
    c = CompiledIndicator(a.indicator, rules)
    series = c.prepare(a._realisations, a.reference).get(a.period.year)
    _, working = work(c, series, PeriodFacts(a.period, rules), a.reference)
    return _Explainer(a, c, lang).render(working)


class _Explainer:
    def __init__(self, a: Achievement, c: CompiledIndicator, lang: str) -> None:
        self.a = a
        self.c = c
        self.lang = lang
        self.rules = c.rules

    def w(self, key: str, **params: object) -> str:
        return text(f"explain.{key}", self.lang, **params)

    # numbers ----------------------------------------------------------------------------
    def num(self, value: Ratio | Fraction | Decimal | int) -> str:
        """Exact when the decimal expansion ends, else "~ 45,83" (two places, half-up)."""
        f = Fraction(value[0], value[1]) if isinstance(value, tuple) else Fraction(value)
        d = f.denominator
        while d % 2 == 0:
            d //= 2
        while d % 5 == 0:
            d //= 5
        if d == 1:
            exact = EXACT.divide(Decimal(f.numerator), Decimal(f.denominator))
            return local_number(exact, self.lang)
        return _APPROX + local_number(round_half_up(f, 2), self.lang)

    def qty(self, value: Ratio | Fraction | Decimal) -> str:
        return self.unit(self.num(value))

    def unit(self, written: str) -> str:
        u = self.c.unit
        if u.labels and written.isdigit():  # a grade, its position beside it
            return f"{u.written(Decimal(written), written) or u.name} ({written})"
        if u.form:  # a rank, a ratio
            return u.form.replace("{}", written)
        if u.is_bare:
            return written
        if u.dimension == PERCENT.dimension:
            return written + "%"
        return f"{written} {u.name}"

    def pct(self, value: Decimal) -> str:
        return local_number(value, self.lang, places=self.rules.places, percent=True)

    # periods ----------------------------------------------------------------------------
    def upto(self) -> str:
        p = self.a.period
        if p.kind is PeriodKind.YEAR:
            return f"{self.w('year')} {p.year}"
        return f"{self.w('to')} {self.short(p)}"

    def short(self, p: Period) -> str:
        if p.kind is PeriodKind.QUARTER:
            return words("explain.quarters", self.lang)[p.index - 1]
        if p.kind is PeriodKind.SEMESTER:
            return words("explain.semesters", self.lang)[p.index - 1]
        if p.kind is PeriodKind.MONTH:
            return words("period.months", self.lang)[p.index - 1]
        return str(p.year)

    def window(self) -> str:
        w = self.c.year(self.a.period.year).window
        assert w is not None
        names = words("period.months", self.lang)
        return f"{names[w.first_month - 1]}-{names[w.last_month - 1]} {w.year}"

    def range_text(self, y: YearTargets) -> str:
        if y.low is None or y.high is None:
            return ""
        return self.unit(f"{self.num(y.low)}-{self.num(y.high)}")

    # parts ------------------------------------------------------------------------------
    def render(self, working: Working) -> str:
        a = self.a
        first = [self.realised_text(working.realised), self.target_text(working.target)]
        lines: list[str] = []
        r = working.realised.value
        if working.percent is not None and r is not None:
            first.append(f"{self.w('percent')} = {self.percent_text(working.percent, r)}")
        elif a.status is Status.UNDEFINED:
            first.append(f"{self.w('percent')}: {self.w('undefined')}")
        lines.append("; ".join(first))
        if working.progress is not None and r is not None:
            lines.append(f"{self.w('progress')} = {self.percent_text(working.progress, r)}")
        status = f"{self.w('status')}: {a.status.label(self.lang)}"
        if a.rating is not None:
            status += f"; {self.w('rating')}: {a.rating} ({self.rules.scale.key})"
        lines.append(status)
        if a.nilai is not None:
            lines.append(f"{self.w('nilai')} = {self.nilai_text()}")
        lines.extend(f"{self.w('warning')}: {n}" for n in a.warnings_in(self.lang))
        return "\n".join(lines)

    def nilai_text(self) -> str:
        """The nilai's formula applied to the published percent c, e.g. "110 + 10/9 x
        (105,00 - 101) = 114,44" (the band's line, from the rules' scale)."""
        percent = self.a.percent
        assert percent is not None
        assert self.a.nilai is not None
        scale = self.rules.scale
        formula = scale.band(percent).nilai
        places = self.rules.places
        result = local_number(self.a.nilai, self.lang, places=places)
        if formula is None:  # pragma: no cover - a nilai comes from a band's formula
            return result
        c = local_number(percent, self.lang, places=places)
        slope = formula.slope
        if slope == 0:  # a constant band: nilai 109 at 100%, 120 from 110%
            return result
        s = "" if slope == 1 else f"{slope} x "
        if formula.base == 0 and formula.origin == 0:
            shown = f"{s}{c}"
        else:
            shown = f"{self.num(formula.base)} + {s}({c} - {self.num(formula.origin)})"
        floor = scale.nilai_floor
        if floor is not None and formula(Fraction(percent)) < floor:
            return f"{shown}{_ARROW}{result} (\u2265 {self.num(floor)})"
        return f"{shown} = {result}"

    def part(self, e: Entry) -> str:
        assert e.value is not None
        shown = self.num(e.value)
        v = e.real.value
        if v is not None and v.unit != self.c.unit and not v.unit.is_bare:
            shown += f" (= {v.format(lang='en' if self.lang == 'en' else 'id')})"
        return shown

    def realised_text(self, rl: RealisedStep) -> str:
        head = f"{self.w('realised')} {self.upto()}: "
        kind = rl.kind
        if kind == "none":
            return head + self.w("no_data", period=self.short(self.a.period))
        value = rl.value
        entries = rl.entries
        if kind == "sum":
            assert value is not None
            if len(entries) == 1:
                return head + self.unit(self.part(entries[0]))
            parts = " + ".join(self.part(e) for e in entries)
            return head + f"{parts} = {self.qty(value)}"
        if kind == "last":
            assert value is not None
            latest = self.w("latest", period=entries[0].real.period)
            return head + f"{latest} = {self.qty(value)}"
        if kind == "as_zero":
            assert value is not None
            return head + self.w("as_zero", period=self.short(self.a.period), value=self.qty(value))
        if kind == "pct_last_value":
            assert value is not None
            return (
                head + f"{self.w('pct_values', period=entries[0].real.period)} = {self.qty(value)}"
            )
        if kind == "average":
            assert value is not None
            parts = " + ".join(self.part(e) for e in entries)
            return head + f"{self.w('average')} ({parts}) / {len(entries)} = {self.qty(value)}"
        if kind == "max":
            assert value is not None
            parts = ", ".join(self.part(e) for e in entries)
            return head + f"{self.w('max')} {parts} = {self.qty(value)}"
        # ratio: X and Y of a percentage formula
        x, y = rl.x, rl.y
        assert x is not None
        assert y is not None
        if self.c.sum and len(entries) > 1:
            xs = " + ".join(self.num(e.x) for e in entries if e.x is not None)
            ys = " + ".join(self.num(e.y) for e in entries if e.y is not None)
            xy = f"X = {xs} = {self.num(x)}, Y = {ys} = {self.num(y)}"
        elif self.c.sum:
            xy = f"X = {self.num(x)}, Y = {self.num(y)}"
        else:
            xy = f"{self.w('latest', period=entries[0].real.period)}: X = {self.num(x)}, "
            xy += f"Y = {self.num(y)}"
        if rl.zero_denominator:
            res = self.w("undefined") if value is None else self.qty(value)
            rule = self.rules.zero_denominator.value
            return head + f"{xy}; " + self.w("zero_den", result=res, rule=rule)
        assert value is not None
        factor = self.num(self.c.factor)
        return head + f"{xy}; {self.num(x)} / {self.num(y)} x {factor}% = {self.qty(value)}"

    def target_text(self, tg: TargetStep) -> str:
        period = self.a.period
        y = self.c.year(period.year)
        head = f"{self.w('target')} {self.upto()}"
        kind = tg.kind
        if kind == "none":
            reason = tg.reason
            if reason == "window":
                return f"{head}: " + self.w("window", window=self.window())
            if reason == "plan_dash":
                names = words("explain.quarter_numbers", self.lang)
                first, last = tg.quarters
                shown = (
                    names[first - 1] if first == last else f"{names[first - 1]}-{names[last - 1]}"
                )
                return f"{head}: " + self.w("plan_dash", quarters=shown)
            return f"{head}: " + self.w(
                "dash" if reason == "dash" else "no_entry", year=period.year
            )
        if kind == "annual" or kind == "annual_rule":
            if tg.bounds is not None:
                shown = self.range_text(y)
            else:
                assert tg.value is not None
                shown = self.qty(tg.value)
            if period.kind is PeriodKind.YEAR and kind == "annual":
                return f"{head}: {shown}"
            return f"{head}: {shown} ({self.w(kind)})"
        if kind == "plan_level":
            assert tg.value is not None
            label = self.short(Period(period.year, PeriodKind.QUARTER, tg.quarters[1]))
            return f"{head} ({self.w('plan')} {label}): {self.qty(tg.value)}"
        if kind == "plan_sum":
            assert tg.value is not None
            part = tg.part
            current = tg.current
            pieces = [self.num(e) for e in tg.used if e is not None]
            if current is not None:
                pieces.append(self.num(current) if part == 3 else f"{part}/3 x {self.num(current)}")
            if len(pieces) == 1 and part == 3:
                return f"{head} ({self.w('plan')}): {self.qty(tg.value)}"
            return f"{head} ({self.w('plan')}): {' + '.join(pieces)} = {self.qty(tg.value)}"
        num, den = tg.elapsed
        if tg.bounds is not None:
            low, high = tg.bounds
            assert y.low is not None
            assert y.high is not None
            annual = f"({self.num(y.low)}-{self.num(y.high)})"
            result = self.unit(f"{self.num(low)}-{self.num(high)}")
        else:
            assert y.annual is not None
            assert tg.value is not None
            annual = self.num(y.annual)
            result = self.qty(tg.value)
        shown = f"{head}: {num}/{den} x {annual} = {result}"
        if kind == "event":
            shown += f" ({self.w('event', window=self.window())})"
        return shown

    def percent_text(self, pc: PercentStep, r: Ratio) -> str:
        rules = self.rules
        res = self.w("undefined") if pc.result is None else self.pct(pc.result)
        compared = pc.compared
        assert compared is not None
        prefix = ""
        position = pc.position
        if position is not None:
            rng = self.range_text(self.c.year(self.a.period.year))
            if position == "inside":
                return f"{self.w('inside', range=rng)}: {res}"
            if position == "entry":
                prefix = self.w("entry", range=rng, bound=self.qty(compared)) + ": "
            else:
                prefix = self.w(position, range=rng) + " " + self.qty(compared) + ": "
        rs = self.num(r)
        how = pc.how
        if how == "zero_lower":
            rule = rules.zero_target_lower.value
            return prefix + self.w("zero_lower", realised=rs, result=res, rule=rule)
        if how == "zero_higher":
            return prefix + self.w("zero_higher", result=res, rule=rules.zero_target_higher.value)
        formula = pc.formula
        shown = formula.working.format(R=rs, T=self.num(compared)) + " x 100%"
        if how == "mean_of_periods":
            parts = " + ".join(f"{self.num(p)}%" for p in pc.parts)
            return prefix + self.w("mean_of_periods", parts=parts, count=len(pc.parts), result=res)
        if how == "zero_realisation":
            return prefix + self.w(
                "zero_realisation",
                formula=shown,
                result=res,
                rule=rules.zero_realisation.value,
            )
        if how == "undefined":
            field = "lower_is_better" if self.c.lower else "higher_is_better"
            return prefix + self.w(
                "no_value", formula=shown, realised=rs, field=field, rule=formula.name
            )
        if how == "floored":
            raw = formula.arithmetic(r[0], r[1], compared[0], compared[1])
            assert raw is not None
            exact = f"{self.num((raw[0] * 100, raw[1]))}%"
            floored = self.w("floored", floor=formula.floor)
            return prefix + f"{shown} = {exact}{_ARROW}{res} ({floored})"
        if pc.capped:
            assert pc.exact is not None
            return prefix + f"{shown} = {self.num(pc.exact)}%{_ARROW}{res} ({self.w('capped')})"
        if (
            rules.rounding is not Rounding.HALF_UP
            and pc.exact is not None
            and pc.result is not None
            and Fraction(*pc.exact) != Fraction(pc.result)
        ):  # the rounding rule changed the figure: show the digits it cut
            exact_text = self.num(pc.exact)
            if exact_text.startswith(_APPROX):  # two more places than kept, to see the cut
                more = round_half_up(Fraction(*pc.exact), rules.places + 2)
                exact_text = _APPROX + local_number(more, self.lang)
            rounded = self.w("rounded", rule=rules.rounding.value)
            return prefix + f"{shown} = {exact_text}%{_ARROW}{res} ({rounded})"
        return prefix + f"{shown} = {res}"
