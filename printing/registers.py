"""The desk's registers on paper, assembled from the core's records without Qt: the
handover sheet (交接班记录), the goods release pass (放行条), the incident report
(突发事件报告). Papers are Chinese in any UI language; ID numbers and phones masked."""
from __future__ import annotations

from models import money, users
from printing.slip import SlipData

HANDOVER_KINDS_ZH = {"key": "钥匙未还", "item": "借用物品未还", "parcel": "包裹待取", "message": "留言待回复",
                     "repair": "报修待派工"}


def handover_sheet(h, items) -> SlipData:
    """交接班记录: when, who handed over to whom, the cash, the note, each open item carried."""
    rows = [("交班时间", h.at.strftime("%Y-%m-%d %H:%M")), ("交班人", users.display_name_of(h.by_id)),
            ("接班人", users.display_name_of(h.confirmed_by_id or h.to_user_id) or "（下一班）"),
            ("接班确认", h.confirmed_at.strftime("%Y-%m-%d %H:%M") if h.confirmed_at else "未确认")]
    if h.cash is not None:
        rows.append(("现金", f"{money.fmt(h.cash, grouping=True)} 元（{money.capital(h.cash)}）"))
    rows.append(("交班说明", h.note))
    counts: dict[str, int] = {}
    for i in items:
        counts[i.kind] = counts.get(i.kind, 0) + 1
    rows.append(("未了事项", "；".join(f"{HANDOVER_KINDS_ZH.get(k, k)} {n} 项" for k, n in counts.items()) or "无"))
    for i in items:
        rows.append((HANDOVER_KINDS_ZH.get(i.kind, i.kind), f"{i.number}  {i.about}"))
    if h.confirm_note:
        rows.append(("接班说明", h.confirm_note))
    return SlipData("交接班记录", f"JJ{h.id:06d}", rows, "", ["交班人签字", "接班人签字"],
                    signed={"交班人签字": users.display_name_of(h.by_id),
                            "接班人签字": users.display_name_of(h.confirmed_by_id)})


PASS_KIND_ZH = {"owner": "业主", "tenant": "租户"}
HOW_ZH = {"phone": "电话确认", "in_person": "当面确认", "letter": "书面委托"}


def release_pass(p) -> SlipData:
    """放行条: the numbered pass the guard keeps at the gate: the house, who asked and with
    whose authorisation, the goods and the vehicle, the day it is good for."""
    rows = [("房号", p.house.label), ("申请人", f"{p.applicant}（{PASS_KIND_ZH.get(p.applicant_kind, '')}）")]
    if p.applicant_kind == "tenant":
        rows.append(("业主授权", f"{p.authorised_by}  {HOW_ZH.get(p.authorised_how, '')}  "
                                 f"{p.authorised_at:%Y-%m-%d %H:%M}" if p.authorised_at else p.authorised_by))
    rows += [("放行物品", p.items), ("车牌号", p.vehicle or "—"), ("有效日期", f"{p.valid_on:%Y-%m-%d} 当日有效"),
             ("事由", "搬出" if p.moving_out else "物品出门")]
    if p.moving_out:
        rows.append(("欠费情况", f"开具时欠费 {money.fmt(p.arrears, grouping=True)} 元，已告知业主" if p.arrears
                     else "开具时无欠费"))
    rows.append(("开具时间", p.issued_at.strftime("%Y-%m-%d %H:%M")))
    if p.voided_at:
        rows.append(("作废", f"{p.voided_at:%Y-%m-%d %H:%M} {p.void_reason}"))
    if p.used_at:
        rows.append(("门岗放行", f"{p.used_at:%Y-%m-%d %H:%M} {p.gate_note}".strip()))
    terms = "本放行条当日有效，一车一条，门岗核对物品与车辆后收回存档。"
    return SlipData("物品放行条", p.number_text, rows, terms, ["申请人签字", "经办人", "门岗签字"],
                    signed={"经办人": users.display_name_of(p.issued_by_id)})


INCIDENT_KINDS_ZH = {"fire_alarm": "火警", "flood": "水浸/爆管", "lift": "电梯困人", "power": "停电", "theft": "盗窃",
                     "injury": "人员受伤/急病", "other": "其他突发事件"}
STEP_ZH = {"called": "通知", "reported": "上报", "arrived": "到场", "action": "处置", "resolved": "解除"}


def incident_report(i, steps) -> SlipData:
    """突发事件报告: for the head office, the morning after: what, when, where, each step
    with its time and the minutes since it happened, and the closing summary."""
    rows = [("事件类别", INCIDENT_KINDS_ZH.get(i.kind, i.kind)), ("发生时间", i.happened_at.strftime("%Y-%m-%d %H:%M")),
            ("发生地点", i.place + (f"（{i.house.label}）" if i.house_id else "")), ("报告人", i.reported_by or "—"),
            ("事件经过", i.what)]
    for s in steps:
        minutes = int((s.at - i.happened_at).total_seconds() // 60)
        rows.append((f"{s.at:%H:%M} {STEP_ZH.get(s.kind, s.kind)}",
                     "  ".join(x for x in (s.who, s.note, f"（事发后 {minutes} 分钟）") if x)))
    if i.closed_at:
        over = next((s.at for s in steps if s.kind == "resolved"), None)
        if over:
            rows.append(("历时", f"{int((over - i.happened_at).total_seconds() // 60)} 分钟"))
        rows.append(("处理总结", i.summary))
        rows.append(("结案时间", i.closed_at.strftime("%Y-%m-%d %H:%M")))
    else:
        rows.append(("状态", "处理中，未结案"))
    return SlipData("突发事件处理报告", i.number_text, rows, "", ["记录人", "主管审核"],
                    signed={"记录人": users.display_name_of(i.opened_by_id)})


def patrol_record(r, checks, missed) -> SlipData:
    """巡查记录: the route walked, by whom and when, each checkpoint in order or its finding
    (with the repair it became), and what was not reached."""
    rows = [("巡查路线", r.route.name), ("巡查人", r.walker), ("开始时间", r.started_at.strftime("%Y-%m-%d %H:%M")),
            ("结束时间", r.finished_at.strftime("%Y-%m-%d %H:%M") if r.finished_at else "未结束")]
    for c in checks:
        if c.ok:
            rows.append((c.place, f"{c.at:%H:%M} 正常"))
        else:
            rows.append((c.place, f"{c.at:%H:%M} 发现：{c.what}" + (f"（已报修 {c.repair.number_text}）"
                                                                    if c.repair_id else "")
                         + ("（有照片）" if c.photo_hash else "")))
    if missed:
        rows.append(("未到点位", "、".join(p.name for p in missed)))
    if r.note:
        rows.append(("备注", r.note))
    return SlipData("巡查记录", f"XC{r.id:06d}", rows, "", ["巡查人签字", "主管"],
                    signed={"巡查人签字": r.walker})
