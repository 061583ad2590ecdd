"""A move-in's papers (入住资料), Chinese in any UI language: the move-in notice (业主入住
通知书) sent ahead, the move-in procedure form (业主入住手续书) with its checklist and
signatures, the inspection report (验房表) with the defects and their repair orders, and the
keys receipt (钥匙移交单)."""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from printing.furniture import Letterhead
from printing.lists import letter, wrapped
from printing.slip import SlipData

SHORT_ZH = {"movein_notice": "入住通知书", "id_copy": "身份证复印件", "purchase_invoice": "购房发票复印件",
            "movein_form": "入住手续书", "service_agreement": "物业管理协议", "covenant": "业主公约"}
PAPERS_ZH = {"movein_notice": "业主入住通知书", "id_copy": "身份证复印件及照片", "purchase_invoice": "购房发票复印件",
             "movein_form": "业主入住手续书", "service_agreement": "前期物业管理协议（签署）", "covenant": "业主公约（签署）"}
STATES_ZH = {"owner_occupied": "自住", "rented": "出租", "vacant": "空置", "renovating": "装修中"}


@dataclass(frozen=True)
class MoveInPaper:
    """What the move-in's papers say, read from its records (models.movein)."""
    number: str  # RZ + the case's id
    house: str
    owner: str
    area: str  # 89.50
    planned: str
    papers: tuple[tuple[str, bool], ...]  # (item, received)
    defects: tuple[tuple[str, str, str], ...] = ()  # place, what, repair number
    keys_count: int = 0
    keys_which: str = ""
    handover: str = ""
    monthly: int = 0  # fen a month of the fees started at the handover
    months: int = 3
    office_phone: str = ""
    hours: str = ""
    clerk: str = ""


def _yuan(fen: int) -> str:
    return f"{fen // 100:,}.{fen % 100:02d}"


def notice(p: MoveInPaper, letterhead: Letterhead, date: str) -> bytes:
    """业主入住通知书: the letter sent ahead, with the day, what to bring and what is paid."""

    def build(st, font, usable):
        bring = "、".join(PAPERS_ZH[i] for i in ("id_copy", "purchase_invoice")) + "、本通知书"
        body = [
            f"尊敬的 {p.owner} 业主：",
            f"您购买的 {p.house}（建筑面积 {p.area} 平方米）已具备交付条件。请于 {p.planned} 携带以下资料到"
            f"{letterhead.office_name}办理入住手续：身份证原件、{bring}。",
            "办理时须签署《前期物业管理协议》和《业主公约》，由工作人员陪同验房，验房中发现的问题将登记并安排维修。"
            "验房后移交房屋钥匙，物业服务费自交房之日起计收。",
        ]
        if p.monthly:
            body.append(f"按现行收费标准，您的房屋每月物业服务等费用合计 {_yuan(p.monthly)} 元，"
                        f"入住时预交 {p.months} 个月，计 {_yuan(p.monthly * p.months)} 元。")
        body.append("如不能按时办理，请提前与物业服务中心联系" + (f"（电话 {p.office_phone}）" if p.office_phone else "")
                    + (f"，办公时间 {p.hours}" if p.hours else "") + "。")
        story = [Paragraph("业主入住通知书", st["title"])]
        for n, text in enumerate(body):
            story += [wrapped(text, st["body"], font, usable), Spacer(1, 3 * mm if n else 2 * mm)]
        story += [Spacer(1, 10 * mm), wrapped(f"{letterhead.office_name}　　{date}", st["body"], font, usable),
                  Spacer(1, 4 * mm), wrapped(f"编号：{p.number}", st["body"], font, usable)]
        return story

    return letter("业主入住通知书", letterhead, build)


def procedure_form(p: MoveInPaper) -> SlipData:
    """业主入住手续书: the papers ticked, the inspection, the keys and the handover, signed."""
    rows = [("房屋", f"{p.house}（{p.area} m²）"), ("业主", p.owner), ("约定交房日期", p.planned)]
    rows += [(SHORT_ZH[item], "√ 已收" if received else "× 未收") for item, received in p.papers]
    rows.append(("验房", f"发现问题 {len(p.defects)} 项，已转维修" if p.defects else "无问题"))
    rows.append(("钥匙移交", f"{p.keys_count} 把：{p.keys_which}" if p.keys_count else ""))
    rows.append(("交房日期", f"{p.handover}（自此日起计收物业服务费）" if p.handover else ""))
    return SlipData("业主入住手续书", p.number, rows,
                    "本人已收到上述房屋及钥匙，已阅读并签署《前期物业管理协议》和《业主公约》，同意自交房日期起缴纳物业服务费。",
                    ["业主签字", "经办人"], signed={"经办人": p.clerk})


def inspection_report(p: MoveInPaper) -> SlipData:
    """验房表: each defect with its place and the repair order it became, signed by both."""
    rows = [("房屋", p.house), ("业主", p.owner)]
    if p.defects:
        rows += [(f"问题 {n}：{place}", f"{what}（维修单 {repair}）" if repair else what)
                 for n, (place, what, repair) in enumerate(p.defects, 1)]
    else:
        rows.append(("验房结果", "未发现问题"))
    return SlipData("验房表", p.number, rows, "以上问题由物业服务中心安排维修，维修完成后请业主验收并在维修单上签字。",
                    ["业主签字", "验房人", "经办人"], signed={"经办人": p.clerk})


def keys_receipt(p: MoveInPaper, date: str) -> SlipData:
    """钥匙移交单: how many keys and which, handed to the owner."""
    rows = [("房屋", p.house), ("业主", p.owner), ("钥匙数量", f"{p.keys_count} 把"), ("钥匙明细", p.keys_which),
            ("移交时间", date)]
    return SlipData("钥匙移交单", p.number, rows, "业主已当面清点，钥匙数量、种类无误。", ["业主签字", "经办人"],
                    signed={"经办人": p.clerk})
