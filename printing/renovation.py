"""A renovation's papers (装修资料, seed 003), Chinese in any UI language: the application
and approval form (装修申请/审批表), the agreement (装修管理协议) with the fire-safety
pledge (防火责任书) to sign, the permit (装修许可证) for the door, the workers' passes
(施工人员出入证, expiring with the permit) and the rectification notice (整改通知单). The
refund of the deposit is a receipt of the series (printing.receipt)."""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

from printing import fonts
from printing.furniture import Letterhead, draw_letterhead, fit
from printing.lists import letter, wrapped
from printing.paper import PAPERS
from printing.slip import SlipData

RISKS_ZH = {"walls": "墙体", "waterproofing": "防水", "gas": "燃气", "electrics": "电路"}
TESTS_ZH = {"closed_water": "闭水试验", "pressure": "打压试验"}


@dataclass(frozen=True)
class Case:
    """What the papers say of a case, read from the core's records (models.renovation)."""
    number: str
    house: str
    applicant: str
    phone: str
    contractor: str
    licence: str
    contractor_phone: str
    scope: str
    risks: tuple[str, ...]  # keys of RISKS_ZH
    start: str
    end: str
    hours: tuple[int, int]
    deposit: int  # fen
    debris: int
    workers: tuple[tuple[str, str, str, str], ...]  # pass number, name, masked ID, trade
    approvals: tuple[tuple[str, str], ...] = ()  # (客服中心意见, "王丽 2026-12-03") …
    issued: str = ""  # the permit's date


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def application(case: Case) -> SlipData:
    """装修申请/审批表: the application with its workers and the three approvals."""
    people = "；".join(f"{name}（{trade or '施工'}，{masked}）" for _n, name, masked, trade in case.workers)
    rows = [("房屋", case.house), ("申请人（业主）", f"{case.applicant}  {case.phone}".strip()),
            ("施工单位", case.contractor), ("营业执照/资质", case.licence),
            ("施工单位电话", case.contractor_phone), ("装修内容", case.scope),
            ("涉及项目", "、".join(RISKS_ZH[r] for r in case.risks) or "无"),
            ("计划工期", f"{case.start} 至 {case.end}"), (f"施工人员（{len(case.workers)}人）", people)]
    rows += list(case.approvals)
    terms = (f"施工时间每日 {case.hours[0]}:00—{case.hours[1]}:00。装修保证金 {_yuan(case.deposit)} 元，"
             f"装修垃圾清运费 {_yuan(case.debris)} 元。严禁拆改承重墙、梁、柱；改动防水层的须做闭水试验。")
    return SlipData("装修申请审批表", case.number, rows, terms, ["业主签字", "施工单位签字", "经办人"])


AGREEMENT = [
    "装修人应遵守《住宅室内装饰装修管理办法》及本小区装修管理规定，不得拆改承重墙、梁、柱、楼板及抗震构件，"
    "不得扩大承重墙上原有门窗尺寸。",
    "不得改变房屋外立面，不得在阳台、外墙私自安装或改变防盗网、空调位。改动卫生间、厨房、阳台防水层的，"
    "须重做防水并经闭水试验合格（{test_hours} 小时）后方可继续施工。",
    "不得擅自改动燃气管道及设施；改动电路须由持证电工施工，不得私拉乱接。",
    "施工时间为每日 {start_hour}:00—{end_hour}:00，其余时间不得进行产生噪音的施工。",
    "装修垃圾须袋装，当日清运至指定地点，不得堆放在楼道等公共部位；委托物业清运的，缴纳装修垃圾清运费 {debris} 元。",
    "施工人员凭物业服务中心核发的出入证出入，出入证随装修许可证到期失效；装修许可证须张贴于户门。",
    "装修期间物业服务中心派员巡查，发现违规的开具整改通知单，装修人须在限期内整改，整改完毕经复查合格。",
    "装修保证金 {deposit} 元，于竣工验收合格且无未完成整改后退还；损坏公共设施或造成他人损失的，"
    "从保证金中扣除相应费用，不足部分由装修人承担。",
    "计划工期 {start} 至 {end}，需延期的须提前到物业服务中心办理延期手续。",
    "本协议一式两份，装修人与物业服务中心各执一份，自签字之日起生效。",
]

FIRE_PLEDGE = [
    "装修人及施工单位负责人为装修期间的防火责任人，施工现场须配备灭火器不少于两具。",
    "施工现场严禁吸烟。动用明火（电焊、气焊、切割等）须事先向物业服务中心申请，经批准后方可作业，并有专人看护。",
    "易燃材料随用随运，不得在室内大量堆放；油漆、稀释剂等须远离火源，用后及时清理。",
    "不得私拉乱接电线，不得超负荷用电；每日收工前切断电源，关闭水阀，关好门窗。",
    "发生火情立即报警（119）并通知物业服务中心，同时组织扑救，保护现场。",
    "因违反本责任书造成火灾或其他事故的，由装修人及施工单位承担全部责任。",
]


def _signatures(labels: list[str], font: str, usable: float, date: str) -> Table:
    rows = [[f"{label}：", "", "日期：", date if n == len(labels) - 1 else ""] for n, label in enumerate(labels)]
    table = Table(rows, colWidths=[usable * 0.28, usable * 0.32, usable * 0.12, usable * 0.28], rowHeights=12 * mm)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 10.5), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LINEBELOW", (1, 0), (1, -1), 0.5, colors.black),
                               ("LINEBELOW", (3, 0), (3, -1), 0.5, colors.black)]))
    return table


def agreement(case: Case, letterhead: Letterhead, test_hours: int, date: str) -> bytes:
    """The agreement and, on the next page, the fire-safety pledge, each to sign."""
    values = dict(test_hours=test_hours, start_hour=case.hours[0], end_hour=case.hours[1], debris=_yuan(case.debris),
                  deposit=_yuan(case.deposit), start=case.start, end=case.end)

    def build(st, font, usable):
        parties = (f"甲方：{letterhead.office_name}　　乙方（装修人）：{case.applicant}　　房屋：{case.house}　　"
                   f"施工单位：{case.contractor}（{case.licence}）　　编号：{case.number}")
        story = [Paragraph("装修管理协议", st["title"]), wrapped(parties, st["body"], font, usable), Spacer(1, 3 * mm),
                 wrapped("为加强本小区房屋装修管理，保障房屋结构安全和全体业主的共同利益，双方订立本协议：",
                       st["body"], font, usable), Spacer(1, 2 * mm)]
        story += [wrapped(f"{n}. {text.format(**values)}", st["clause"], font, usable)
                  for n, text in enumerate(AGREEMENT, 1)]
        story += [Spacer(1, 6 * mm), KeepTogether(_signatures(["甲方（物业服务中心）", "乙方（装修人）", "施工单位负责人"],
                                                               font, usable, date)),
                  PageBreak(), Paragraph("防火责任书", st["title"]),
                  wrapped(f"房屋：{case.house}　　装修人：{case.applicant}　　施工单位：{case.contractor}　　"
                        f"编号：{case.number}", st["body"], font, usable), Spacer(1, 3 * mm)]
        story += [wrapped(f"{n}. {text}", st["clause"], font, usable) for n, text in enumerate(FIRE_PLEDGE, 1)]
        story += [Spacer(1, 6 * mm), KeepTogether(_signatures(["装修人", "施工单位负责人", "物业服务中心"],
                                                               font, usable, date))]
        return story

    return letter("装修管理协议", letterhead, build)


def permit(case: Case, letterhead: Letterhead, *, office_phone: str = "") -> bytes:
    """装修许可证: A4 landscape, to put up on the house's door while the works go on."""
    font = fonts.register()
    width, height = PAPERS["A4"].size(landscape=True)
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height))
    c.setTitle("装修许可证")
    side = 20 * mm
    y = draw_letterhead(c, letterhead, width, height - 12 * mm, left=side, size=12)
    c.setLineWidth(2)
    c.rect(side, 15 * mm, width - 2 * side, y - 19 * mm)
    c.setFont(font, 40)
    c.drawCentredString(width / 2, y - 26 * mm, "装 修 许 可 证")
    c.setFont(font, 11)
    c.drawRightString(width - side - 6 * mm, y - 12 * mm, f"No. {case.number}")
    rows = [("房　　号", case.house), ("装 修 人", case.applicant), ("施工单位", case.contractor),
            ("施工单位电话", case.contractor_phone or "—"), ("许可期限", f"{case.start} 至 {case.end}"),
            ("施工时间", f"每日 {case.hours[0]}:00—{case.hours[1]}:00"),
            ("施工人员", f"{len(case.workers)} 人，凭出入证出入")]
    top = y - 40 * mm
    room = width - 2 * side - 90 * mm
    for n, (label, value) in enumerate(rows):
        line_y = top - n * 13 * mm
        c.setFont(font, 16)
        c.drawString(side + 25 * mm, line_y, label)
        v = fit(value, font, 18, room, min_size=9)
        c.setFont(font, v.size)
        c.drawString(side + 75 * mm, line_y, v.lines[0])
        c.setLineWidth(0.5)
        c.line(side + 73 * mm, line_y - 2.5 * mm, width - side - 15 * mm, line_y - 2.5 * mm)
    c.setFont(font, 10)
    foot = "本证须张贴于户门醒目处，期满作废。违规施工请拨打物业服务中心电话" + (f" {office_phone}" if office_phone else "") + "。"
    c.drawString(side + 8 * mm, 22 * mm, fit(foot, font, 10, width - 2 * side - 80 * mm, min_size=7).lines[0])
    c.setFont(font, 12)
    c.drawRightString(width - side - 10 * mm, 30 * mm, "物业服务中心（盖章）")
    c.drawRightString(width - side - 10 * mm, 22 * mm, case.issued)
    c.showPage()
    c.save()
    return out.getvalue()


PASS_W, PASS_H = 90 * mm, 56 * mm


def passes(case: Case, letterhead: Letterhead) -> bytes:
    """施工人员出入证: one card per worker, 2 × 4 on an A4 sheet with cut lines, each valid
    until the permit's end."""
    font = fonts.register()
    width, height = PAPERS["A4"].size()
    out = io.BytesIO()
    c = Canvas(out, pagesize=(width, height))
    c.setTitle("施工人员出入证")
    left = (width - 2 * PASS_W) / 2
    top = height - (height - 4 * PASS_H) / 2
    for n, (number, name, masked, trade) in enumerate(case.workers):
        slot = n % 8
        if n and slot == 0:
            c.showPage()
        x = left + (slot % 2) * PASS_W
        y = top - (slot // 2 + 1) * PASS_H
        c.setDash(2, 2)
        c.setLineWidth(0.3)
        c.rect(x, y, PASS_W, PASS_H)
        c.setDash()
        pad = 5 * mm
        head = fit(letterhead.office_name, font, 8, PASS_W - 2 * pad, min_size=5)
        c.setFont(font, head.size)
        c.drawCentredString(x + PASS_W / 2, y + PASS_H - 7 * mm, head.lines[0])
        c.setFont(font, 14)
        c.drawCentredString(x + PASS_W / 2, y + PASS_H - 14 * mm, "施工人员出入证")
        facts = [("姓名", name), ("工种", trade or "施工"), ("身份证", masked), ("房号", case.house),
                 ("施工单位", case.contractor), ("有效期至", case.end)]
        for k, (label, value) in enumerate(facts):
            line_y = y + PASS_H - 21 * mm - k * 5 * mm
            c.setFont(font, 8.5)
            c.drawString(x + pad, line_y, label)
            v = fit(value, font, 9, PASS_W - 2 * pad - 16 * mm, min_size=5.5)
            c.setFont(font, v.size)
            c.drawString(x + pad + 16 * mm, line_y, v.lines[0])
        c.setFont(font, 7.5)
        c.drawRightString(x + PASS_W - pad, y + 3.5 * mm, f"No. {number}")
    c.showPage()
    c.save()
    return out.getvalue()


def rectification(number: str, house: str, case_number: str, contractor: str, found: str, what: str,
                  deadline: str, issued: str, clerk: str) -> SlipData:
    """整改通知单: what was found, what to put right and by when, signed for."""
    rows = [("房屋", house), ("装修编号", case_number), ("施工单位", contractor), ("检查发现", found or what),
            ("整改要求", what), ("整改期限", f"{deadline} 前完成"), ("开单时间", issued)]
    return SlipData("整改通知单", number, rows,
                    "请于期限内整改完毕并通知物业服务中心复查；逾期未整改的，物业服务中心将按装修管理协议处理，"
                    "由此造成的损失从装修保证金中扣除。", ["装修人签收", "施工单位签收", "经办人"], signed={"经办人": clerk})
