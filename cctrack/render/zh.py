"""Every Chinese word and sentence of ``--lang zh``: status, ``show`` and the HTML report.

The English words live beside the code that makes them (:mod:`cctrack.render.words`,
:mod:`cctrack.render.status`, :mod:`cctrack.render.show`, :mod:`cctrack.render.html`); each of
those asks this module for the Chinese text when ``lang == "zh"``. The dictionaries are keyed by
the codes of the assessment (status, role, caveat and note codes) or by the English label they
replace, so a test can check that nothing is left untranslated. Codes, ids and JSON keys are never
translated: ``status --format json`` stays in English for scripts.

Numbers keep their form (``+8.6%``, ISO dates); quantities use 万/亿 and the units 元, 辆, 人,
人次 and 家 (:func:`cctrack.render.numbers.humanize`); periods are written as Chinese statistics
write them (``2024年上半年``), which cctrack also reads (multi-year spans aside).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from cctrack.assess import Assessment, Note
from cctrack.domain import Confidence, Status
from cctrack.render.numbers import _ZH_UNIT, format_percent, humanize

# --- fixed words -------------------------------------------------------------------------------

# The status mapping is documented (README, "Commands") and fixed: reports quote it.
STATUS: dict[str, str] = {
    "achieved": "已实现",
    "met": "已达成",
    "missed": "未达成",
    "on_track": "进度正常",
    "acceleration_needed": "需加快",
    "limited_progress": "进展有限",
    "deterioration": "倒退",
    "not_assessable": "无法评估",
    "no_data": "无数据",
}
CONFIDENCE: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}
CONFIDENCE_WORD = "可信度"
ESTIMATE: dict[str, str] = {"final": "最终数", "preliminary": "初步数", "expected": "预计数"}
KIND: dict[str, str] = {"annual": "年度流量", "level": "时点存量", "growth": "增速"}
DIRECTION: dict[str, str] = {"increase": "增加", "decrease": "减少"}
METHOD: dict[str, str] = {"growth-ratio": "增速比法", "linear": "线性路径法"}
UNIT: dict[str, str] = {**_ZH_UNIT, "percent": "%"}  # the units humanize writes, and shares

PROVISIONAL = "（暂定）"
TREND_TO = "（截至{year}年的趋势）"
NO_VERDICT = "无结论"

# How the assessment treated an observation (docs/method.md §1.6), by role code.
ROLE: dict[str, str] = {
    "base": "采用：基期",
    "current": "采用：最新值",
    "series": "采用",
    "before-base": "未采用（早于基期）",
    "superseded": "未采用（已被同期更优数据取代）",
    "change-unused": "未采用（有增速而无可推算的相邻数值）",
    "partial": "参考（非全年数据）",
    "not-year-end": "参考（非年末数据）",
    "multi-year": "参考（多年合计）",
    "other-scope": "参考（统计范围：{scope}）",
    "year-to-date": "采用：年内累计",
    "before-start": "参考（早于目标年份）",
    "after-deadline": "参考（晚于期限）",
    "benchmark": "对比基准（{scope}）",
}
BENCHMARK_TARGET = "基准目标"
# A growth target's full-year change (role ``judged``): met, missed, or left open by a bound.
JUDGED: dict[bool | None, str] = {True: "已达成", False: "未达成", None: "无法判定（为下限值）"}
CHAINED = "已用：计入年均增速"
DERIVES = "；由其同比变化推算出{periods}数值"
# A value derived from a change, by the role of the point.
DERIVED_ROLE: dict[str, str] = {
    "base": "推算值：基期",
    "current": "推算值：最新值",
    "before-base": "推算值，未采用（早于基期）",
    "series": "推算值：采用",
}
BASELINE = "给定基期值"

LEGEND = "≥ 至少（下限值）   * 由增速推算   ᵖ 初步数   ᵉ 预计数   † 人工设定"
CONFIDENCE_LEGEND = "可信度 ●●● 高 ●●○ 中 ●○○ 低"
CAVEAT_LEGEND = (
    f"{CONFIDENCE_LEGEND}；提示：S 基期替代，D 基期为推算值，B 结论随基期而变，"
    "N 序列过短，W 来源评级低，P 暂定数据，≥ 下限值，T 接近临界值，O 数据陈旧，X 已过期限，"
    "E 预测值极端，I 来源不一致，M 来源混合"
)

# The status table (terminal), by the column keys of cctrack.render.status.TABLE_HEADERS.
TABLE_HEADERS: dict[str, str] = {
    "id": "目标", "status": "状态", "confidence": "可信度", "caveats": "提示",
    "current": "最新值", "progress": "进度", "goal": "目标值", "growth": "年增速 实际/所需",
    "name": "名称", "base": "基期", "projected": "预测值",
}  # fmt: skip
# Markdown's header row, by the column keys of cctrack.render.status.HEADERS.
HEADERS: dict[str, str] = {
    "id": "编号", "name": "名称", "target": "目标值", "deadline": "期限", "base": "基期",
    "current": "最新值", "period": "时期", "progress": "进度", "growth": "年增速 实际 / 所需",
    "projected": "预测值", "status": "状态", "confidence": "可信度", "caveats": "提示",
}  # fmt: skip
NO_PLAN = "未注明规划的目标"
VERSUS = "{observed}（目标{required}）"
EXTREME_UP = "> 目标值的2倍"
EXTREME_DOWN = "< 目标值的一半"
FOOTER = "截至{as_of}，评估方法：{method}。"
SHOW_HINT = "运行 `cctrack show <目标编号>` 可查看任一行的详细说明。"

# ``show``: the labels of the definition, the steps and the evidence, by their English label.
SHOW: dict[str, str] = {
    "name": "英文名称",
    "target": "目标值",
    "scope": "统计范围",
    "kind": "类型",
    "unit": "单位",
    "deadline": "期限",
    "base year": "基年",
    "plan": "所属规划",
    "tags": "标签",
    "source": "来源",
    "quote": "原文",
    "base": "基期",
    "current": "最新值",
    "progress": "进度",
    "time_elapsed": "时间进度",
    "growth_observed": "实际年均增速",
    "growth_required": "所需年均增速",
    "expected_now": "线性路径应达值",
    "ahead_by": "超前量",
    "progress_ratio": "进度比R",
    "growth_needed": "此后所需年均增速",
    "projected": "期限预测值",
    "average rate": "年均增速",
    "required": "目标要求",
    "thresholds": "判定标准",
    "status": "状态",
    "note": "说明",
    "verdict": "结论",
    "confidence": "可信度",
    "why": "理由",
    "caveat": "提示",
    "from base": "其他基期",
}
NONE = "无"
FIRST_VALUE = "首个数值"
TITLES: dict[str, str] = {"Observations": "观测值", "Assessment": "评估过程",
                          "Evidence": "结论依据"}  # fmt: skip
OBS_HEADERS: dict[str, str] = {"period": "时期", "value": "数值", "change": "同比",
                               "estimate": "数据性质", "use": "使用情况",
                               "source": "来源"}  # fmt: skip
LINE = "（第{line}行）"
AVERAGE_SPAN = "{rate}（{first}至{last}年）"
AVERAGE = "{rate}"
OVERRIDE = "（人工设定：{reason}；计算结果：{computed}）"
SENSITIVITY = "{period}：{value} → R {ratio}，{status}"
CHART = "观测值（█，*为推算值）与所需路径（┆）：{goal}\n"
CHART_NO_PATH = "观测值（█，*为推算值），目标：{goal}\n"
BY_DEADLINE = "{deadline}达到{goal}"
NO_DEADLINE = "{goal}（期限未定）"


def thresholds(method: str, on_track: float, acceleration: float) -> str:
    """The category thresholds of a method, as ``show`` prints them."""
    top = "进度正常 超前量 ≥ 0（R ≥ 1）" if method == "linear" else f"进度正常 R ≥ {on_track}"
    upper = "1" if method == "linear" else f"{on_track}"
    return (
        f"{top}；需加快 {acceleration} ≤ R < {upper}；进展有限 0 ≤ R < {acceleration}；"
        "倒退 R < 0；当前值达到目标即为已实现"
    )


# The HTML report.
REPORT: dict[str, str] = {
    "title": "发展目标进展报告",
    "summary": "概览",
    "notes": "说明",
    "sources": "来源",
    "caveats": "提示",
    "other bases": "其他基期",
    "target": "目标：",
    "no chart": "暂无可绘制的数据：尚无目标本身统计范围的全年数值。",
    "confidence": "可信度",
    "line": "第{line}行",
}
NUMBER_LABELS: dict[str, str] = {
    "base": "基期值", "current": "最新值", "progress": "进度", "time_elapsed": "时间进度",
    "growth_observed": "实际年均增速", "growth_required": "所需年均增速",
    "expected_now": "线性路径应达值", "ahead_by": "超前量", "progress_ratio": "进度比R",
    "growth_needed": "此后所需年均增速", "projected": "期限预测值",
}  # fmt: skip
CHANGE_LABEL = "{period}增速"
GOAL_FACT = "目标值 {goal}"
OTHER_BASE = "以{period}为基期：{value} → R {ratio}，{status}"
SET_BY_HAND = "人工设定：{reason}（计算结果：{computed}）"
SUMMARY_COLUMNS = ("目标", "目标值", "最新值", "进度", "年增速 实际/所需", "预测值", "状态")
OBS_COLUMNS = ("时期", "数值", "同比", "使用情况", "来源")
# Growth and relative targets: each period's verdict (the CSS classes stay codes).
VERDICT: dict[str, str] = {"met": "已达成", "missed": "未达成", "context": "参考",
                           "partial": "年内累计"}  # fmt: skip
PERIOD_KIND: dict[bool, str] = {True: "年内累计", False: "全年"}
CHART_KEY: dict[str, str] = {
    "met": "已达成", "missed": "未达成", "year to date or context": "年内累计或参考",
    "benchmark": "对比基准：{label}", "required": "目标要求 {goal}", "observed": "观测值",
    "derived from a change (*)": "由增速推算（*）", "required compound path": "所需复合增长路径",
    "target": "目标值",
}  # fmt: skip
CHART_TITLE = "{name}：观测值与{goal}所需路径的对比"
GROWTH_CHART_TITLE: dict[bool, str] = {True: "{name}：各期数值与对比基准",
                                       False: "{name}：各期增速与目标要求"}  # fmt: skip
PATH_TIP = "自{first}年起、{last}年达到{goal}所需的复合增长路径"
TARGET_LINE = "目标 {goal}"


def rule(on_track: float, acceleration: float) -> str:
    """How to read the categories (the report's footer)."""
    return (
        f"进度比R = 实际年均复合增速 ÷ 所需年均复合增速。进度正常：R ≥ {on_track}；"
        f"需加快：{acceleration} ≤ R < {on_track}；进展有限：0 ≤ R < {acceleration}；"
        "倒退：R < 0；已实现：当前值已达到目标；已达成 / 未达成：依据期限当期的数值。"
    )


# The report's header and footer (html.py adds the markup around the pieces).
AS_OF = "截至"
METHOD_WORD = "评估方法"
N_TARGETS = "共{n}项目标"
MADE_BY = "由 cctrack {version} 生成；"
SHOW_COMMAND = "cctrack show <目标编号>"
MADE_BY_TAIL = " 可逐步说明任一目标。"


# --- periods and values --------------------------------------------------------------------

_HALF = {"1": "上半年", "2": "下半年"}
_QUARTER = {"1": "一", "2": "二", "3": "三", "4": "四"}


def period(p: object) -> str:
    """A period as Chinese statistics write it: ``2024年``, ``2024年上半年``, ``2024年第三季度``,
    ``2024年10月``, ``2024年1-10月`` (all of which cctrack reads back as the same period), and
    ``2021-2025年``; a date stays ISO (``2025-06-30``)."""
    text = str(p)
    if m := re.fullmatch(r"(\d{4})", text):
        return f"{m[1]}年"
    if m := re.fullmatch(r"(\d{4})-H([12])", text):
        return f"{m[1]}年{_HALF[m[2]]}"
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", text):
        return f"{m[1]}年第{_QUARTER[m[2]]}季度"
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        return f"{m[1]}年{int(m[2])}月"
    if m := re.fullmatch(r"(\d{4})-(\d{2})/(\d{4})-(\d{2})", text):
        if m[1] == m[3]:
            return f"{m[1]}年{int(m[2])}-{int(m[4])}月"
        return f"{m[1]}年{int(m[2])}月-{m[3]}年{int(m[4])}月"
    if m := re.fullmatch(r"(\d{4})/(\d{4})", text):
        return f"{m[1]}-{m[2]}年"
    return text


def span(first: object | None, last: object) -> str:
    """``2020年至2023年`` (or ``2023年`` alone)."""
    return period(last) if first is None else f"{period(first)}至{period(last)}"


def periods(items: Sequence[object]) -> str:
    """``2016年、2022年``."""
    return "、".join(period(p) for p in items)


def unit(name: str) -> str:
    """A unit in Chinese when it is one cctrack knows (元, 辆…); others are data, as written."""
    from cctrack.quantity import canonical_unit

    return UNIT.get(canonical_unit(name), name)


def label(status: object) -> str:
    """A status code in Chinese."""
    return STATUS.get(str(status), str(status))


def status_text(a: Assessment, override_reason: bool = True) -> str:
    """``已达成（暂定）``, ``进度正常（截至2023年的趋势）``, ``进度正常 † 理由``."""
    text = label(a.status)
    if a.provisional and a.override is None:
        text += PROVISIONAL
    if a.trend_to is not None and a.override is None:
        text += TREND_TO.format(year=a.trend_to)
    if a.override is not None:
        text += f" † {a.override.reason}" if override_reason else " †"
    return text


def role(code: str, scope: str | None) -> str:
    """An observation's role (not ``judged``), with its scope where the role names it."""
    return ROLE[code].format(scope=scope or BENCHMARK_TARGET)


def benchmark_label(scope: str | None, target: str | None) -> str:
    """``China``, or ``目标 gdp-growth-china``."""
    return scope if scope is not None else f"目标 {target}"


def goal_suffix(text: str, average: bool, cumulative: bool, start: object, deadline: object) -> str:
    """``年均10%``, ``4500（2021-2025年累计）``."""
    if average:
        text = f"年均{text}"
    if cumulative:
        text += f"（{start}-{period(deadline)}累计）"
    return text


def relation(above: bool, benchmark: str) -> str:
    """A relative target: ``高于China``, ``不低于China``."""
    return f"{'高于' if above else '不低于'}{benchmark}"


def derivation(from_period: object, from_value: str, op: str, change: str) -> str:
    """``由2023年数值2411.1亿 ÷ (1 +208.56%)``; ``change`` already with its brackets."""
    return f"由{period(from_period)}数值{from_value} {op} {change}"


# --- notes and caveats ---------------------------------------------------------------------

# One sentence per note code (cctrack.assess.NOTES); the values are prepared by note_text.
NOTE: dict[str, str] = {
    "hidden-after-as-of": "{count}条晚于{as_of}的观测值未计入（--as-of）",
    "other-scope": "{count}条其他统计范围的观测值仅作参考",
    "partial-period": "{period}数据{what}：{value}{change}，未采用",
    "derived": "由同比增速推算：{years}",
    "before-base-year": "基年{base_year}之前的{count}个数值未采用",
    "base-substituted": "基年{base_year}无数据：以{base}为基期",
    "current-before-base": "最新值（{current}）早于基年{base_year}：进度按最新值与目标值之比计算，"
    "不计趋势",
    "stale": "数据陈旧：最新全年数据为{year}",
    "zero-replaced": "{what}为0：计算增速时以0.001代替",
    "negative-value": "存在负值，增速无定义",
    "projection-too-large": "预测值过大，无法计算",
    "no-full-period": "无全年数据：仅有增速或非全年数据",
    "bound-unsettled": "{year}数值为下限值，无法判定是否达成",
    "no-deadline": "未设期限：只显示进度，不判断进度是否正常",
    "too-few-values": "可用数值少于两个",
    "deadline-passed": "期限{deadline}已过：待最终数据",
    "year-to-date": "{period}年内累计增速",
    "no-change-in-years": "目标年份内无增速数据",
    "set-by-hand": "状态为人工设定：{reason}",
    "after-deadline": "{count}条晚于期限{deadline}的观测值仅作参考",
    "revised": "{period}数值由{from_value}（{from_estimate}{when}）修订为{to_value}",
    "benchmark-missing": "对比基准{benchmark}在目标的各时期均无数据",
    "average-from-changes": "年均增速由{years}公布的增速连乘得出",
    "cumulative-gap": "{missing}无数据：合计只计缺口之前的年份",
}
ZERO_WHAT: dict[str, str] = {"target": "目标值", "base": "基期值", "current": "最新值"}
PARTIAL_WHAT: dict[str, str] = {"multi-year": "（多年合计）", "partial": "（非全年）"}


def _value(x: Any, unit_name: str | None) -> str:
    return humanize(x, unit_name, "zh") if x is not None else "—"


def note_text(n: Note, unit_name: str | None = None) -> str:
    """One note as a Chinese sentence."""
    v: dict[str, Any] = dict(n.values)
    c = n.code
    f: dict[str, Any] = {k: period(x) if k in _PERIODS else x for k, x in v.items()}
    for k in ("years", "missing"):
        if k in v:
            f[k] = periods(v[k])
    if c == "partial-period":
        f["what"] = PARTIAL_WHAT.get(str(v["kind"]), PARTIAL_WHAT["partial"])
        f["value"] = _value(v["value"], unit_name)
        f["change"] = f"（{format_percent(v['change'])}）" if v["change"] is not None else ""
    elif c == "zero-replaced":
        f["what"] = ZERO_WHAT.get(str(v["what"]), f"{v['what']}值")
    elif c == "revised":
        f["from_value"] = _value(v["from_value"], unit_name)
        f["to_value"] = _value(v["to_value"], unit_name)
        f["from_estimate"] = ESTIMATE.get(str(v["from_estimate"]), str(v["from_estimate"]))
        f["when"] = f"，{v['from_published']}" if v["from_published"] else ""
    return NOTE[c].format(**f)


# The values that are periods or years (written 2023年, 2024年上半年).
_PERIODS = frozenset({"period", "base_year", "base", "current", "year", "deadline", "latest",
                      "from_period"})  # fmt: skip

CAVEAT: dict[str, str] = {
    "base-substituted": "规划基年{base_year}无数据：以{base}为基期",
    "base-derived": "{base}基期值由{from_period}公布的增速{change}推算",
    "base-sensitive": "以其他年份为基期，同一方法得出不同类别：{categories}",
    "short-series": "从基期到最新值仅{values}个数值、跨{years}年",
    "weak-source": "{point}（{period}）依据的来源评级为C",
    "provisional": "{period}数值为{what}，并非最终的精确数字",
    "bound-value": "{period}数值为{side}：所示进度与类别为来源所允许的{case}情形",
    "near-threshold": "{text}",
    "stale": "最新全年数据为{year}",
    "deadline-passed": "期限{deadline}已过：{latest}",
    "projection-extreme": "预测值超过目标值的两倍：按现有速度外推并非预测",
    "inconsistent-sources": "{period}公布的增速（{stated}）与其连接的两个数值不符"
    "（按数值计算为{implied}）",
    "mixed-sources": "{period}数值由{change_source}的增速乘以{level_source}的{from_period}数值"
    "推算：无从确认两者口径一致",
}
POINT: dict[str, str] = {"base": "基期值", "current": "最新值", "chained": "计入年均增速的增速"}
PROVISIONAL_WHAT: dict[str, str] = {"derived": "推算值", "bound": "界限值", **ESTIMATE}
SIDE: dict[str, str] = {"at_least": "下限值（至少）", "at_most": "上限值（至多）"}
NEAR_RATIO = "R距类别临界值不足0.05"
NEAR_TARGET = "数值与目标值的差距小于所写数字的精度（差距{margin}，精度±{precision}）"
TREND_AS_OF = "类别为截至{latest}的趋势"
TREND_NO_VALUE = "类别为趋势判断，期限当期尚无数值"


def caveat_text(c: Note, amount: Any, worst: bool = True) -> str:
    """One caveat as a Chinese sentence; ``amount`` formats a margin or precision; ``worst``:
    a bound shows the worst case (else the best)."""
    v: dict[str, Any] = dict(c.values)
    code = c.code
    f: dict[str, Any] = {k: period(x) if k in _PERIODS else x for k, x in v.items()}
    if code == "base-derived":
        f["change"] = format_percent(v["change"])
    elif code == "base-sensitive":
        f["categories"] = "、".join(label(s) for s in v["categories"])
    elif code == "weak-source":
        f["point"] = POINT.get(str(v["point"]), str(v["point"]))
    elif code == "provisional":
        what = "derived" if v["derived"] else str(v["estimate"])
        if what == "final" and str(v["bound"]) != "exact":
            what = "bound"
        f["what"] = PROVISIONAL_WHAT.get(what, what)
    elif code == "bound-value":
        f["side"] = SIDE["at_least" if str(v["bound"]) == "at_least" else "at_most"]
        f["case"] = "最差" if worst else "最好"
    elif code == "near-threshold":
        f["text"] = (
            NEAR_RATIO
            if v["what"] == "ratio"
            else NEAR_TARGET.format(margin=amount(v["margin"]), precision=amount(v["precision"]))
        )
    elif code == "deadline-passed":
        f["latest"] = (
            TREND_AS_OF.format(latest=period(v["latest"]))
            if v["latest"] is not None
            else TREND_NO_VALUE
        )
    elif code == "inconsistent-sources":
        f["stated"] = format_percent(v["stated"])
        f["implied"] = format_percent(v["implied"])
    return CAVEAT[code].format(**f)


# --- sentences ------------------------------------------------------------------------------

WHY_NO_DATA = "没有目标本身统计范围的观测值。"
WHY_NOT_STARTED = "规划首年{start}年尚未结束，暂无结论。"
WHY_NOT_ASSESSABLE = "可用数值不足，无法得出结论。"
WHY_GROWTH = "{period}为{change}，目标为{goal}。"
WHY_FINAL: dict[str, str] = {"met": "{period}为{value}，达到目标{goal}。",
                             "missed": "{period}为{value}，未达到目标{goal}。",
                             "achieved": "{period}为{value}，已达到目标{goal}。"}  # fmt: skip
WHY_AVERAGE = "{span}年均增长{rate}，目标为{goal}。"
WHY_CUMULATIVE = "{period}累计{value}；目标为{goal}，按直线路径此时应达{expected}。"
WHY_LEVEL = "{period}为{value}，目标为{goal}。"
WHY_TREND = "{base}至{current}年均增长{observed}，而{by}实现{goal}需年均增长{required}"
WHY_BY = "到{deadline}"
WHY_NEEDED = "；自{current}起需年均增长{needed}"
WHY_DERIVED = "；{base}基期值由{from_period}的增速{change}推算"


def why_trend(a: Assessment, goal: str) -> str:
    """The sentence of why for a trend category (the caller has the other cases)."""
    t, base, cur = a.target, a.base, a.current
    assert base is not None and cur is not None
    by = WHY_BY.format(deadline=period(t.deadline)) if t.deadline else ""
    out = WHY_TREND.format(base=period(base.period), current=period(cur.period),
                           observed=format_percent(a.growth_observed), by=by, goal=goal,
                           required=format_percent(a.growth_required))  # fmt: skip
    if a.growth_needed is not None:
        out += WHY_NEEDED.format(current=period(cur.period),
                                 needed=format_percent(a.growth_needed))  # fmt: skip
    d = base.derivation
    if d is not None:
        out += WHY_DERIVED.format(base=period(base.period), from_period=period(d.from_period),
                                  change=format_percent(d.change))  # fmt: skip
    return out + "。"


def summary_line(assessments: Sequence[Assessment]) -> str:
    """``共18项目标：进度正常3项（可信度高1项、低2项）· 无数据7项``."""
    parts = []
    for status in Status:  # best first
        group = [a for a in assessments if a.status is status]
        if not group:
            continue
        levels = [(c.value, sum(a.confidence is c for a in group)) for c in Confidence]
        weights = "、".join(f"{CONFIDENCE[level]}{n}项" for level, n in levels if n)
        parts.append(f"{label(status)}{len(group)}项"
                     + (f"（{CONFIDENCE_WORD}{weights}）" if weights else ""))  # fmt: skip
    return f"共{len(assessments)}项目标：" + " · ".join(parts)


def growth_year(shown: str, partial: bool, other: str | None, verdict: str | None) -> str:
    """``+5.2%（全年），China为+5.0%：已达成``; ``other`` is the benchmark's part."""
    text = f"{shown}（{PERIOD_KIND[partial]}）"
    if other is not None:
        text += other
    return text if verdict is None else f"{text}：{verdict}"


BENCHMARK_VALUE = "，{label}为{value}"
NO_FIGURE = "无数据"


# --- plan names ------------------------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"
_FIVE_YEAR = re.compile(r"(.*?)\b(\d{1,2})(?:st|nd|rd|th) Five-Year Plan \((\d{4})-(\d{4})\)")
_ANNUAL = re.compile(r"(\d{4}) annual targets")


def numeral(n: int) -> str:
    """``14`` → ``十四`` (1 to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones or not head else "")


def plan(name: str) -> str:
    """A plan's name in Chinese where it follows a common pattern ("14th Five-Year Plan
    (2021-2025)" → "“十四五”规划（2021—2025年）", "2026 annual targets" → "2026年年度目标");
    otherwise as written (the data's own words)."""
    m = _FIVE_YEAR.fullmatch(name)
    if m:
        prefix = m.group(1).strip()
        return f"{prefix}“{numeral(int(m.group(2)))}五”规划（{m.group(3)}—{m.group(4)}年）"
    m = _ANNUAL.fullmatch(name)
    if m:
        return f"{m.group(1)}年年度目标"
    return name
