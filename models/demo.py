"""A deterministic, realistic demo estate: the same names, numbers and gaps every time.

small: about 800 houses in 12 buildings; large: 20,000 houses and 60,000 residents (for
the benchmarks). Some houses are rented out with tenants, some are vacant or not yet
handed over, and some archives lack papers, as in a real office.

Its days are counted back from the moment it is made (clock.now()), so that whenever it
is made it opens on a normal morning: the week behind it (parcels, keys, repairs,
complaints) leaves a few things due today and one or two overdue, and the months are
billed up to last month, each with its water readings; this month is left to read and bill.
"""
from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

import peewee as pw

from models import audit, clock, db, pinyin_index, settings, users, validation
from models.db import atomic
from models.documents import ITEMS, ArchiveDocument
from models.errors import OfficeError, QT_TRANSLATE_NOOP
from models.estate import Building, EstateProfile, House, Unit, house_label, house_sort_code
from models.owners import NameKey, Owner, Ownership, Resident

DEMO_PASSWORD = "demo1234"
DEMO_USERS = [  # username, full name, roles
    ("admin", "系统管理员", ["admin"]),
    ("wang", "王芳", ["clerk"]),
    ("li", "李娜", ["cashier"]),
    ("zhao", "赵强", ["supervisor"]),
]

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
            "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
            "龚邵万钱严覃武戴莫孔向汤单乐朴")
GIVEN = ("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国文辉鹏飞宇浩然欣怡子涵梓轩"
         "晓东海燕雪梅志刚春兰佳琪俊杰天佑思远嘉怡雨萱家豪宏博婷婷晨曦")
REGIONS = ["440305", "440304", "110101", "310104", "420106", "510107", "430102", "350203", "370202"]
OCCUPATIONS = ["教师", "医生", "工程师", "公务员", "会计", "个体经营", "退休", "销售", "律师", "设计师"]
EMPLOYERS = ["南山实验学校", "市人民医院", "华强电子有限公司", "区税务局", "招商银行", "自营", "", "腾讯科技"]
HOMETOWNS = ["广东深圳", "湖南长沙", "湖北武汉", "四川成都", "江西南昌", "广西桂林", "福建厦门", "河南郑州"]


@dataclass(frozen=True)
class Size:
    buildings: list[tuple[str, int, int, int]]  # code, units, floors, houses per floor
    residents_per_house: float


SIZES = {
    # 12 buildings, 804 houses
    "small": Size([(str(i), 2, f, 3) for i, f in
                   zip(range(1, 13), [11, 11, 18, 18, 11, 11, 6, 6, 18, 11, 6, 7])], 2.0),
    # 100 buildings × 4 units × 25 floors × 2 = 20,000 houses; 60,000 residents
    "large": Size([(str(i), 4, 25, 2) for i in range(1, 101)], 3.41),
}


AGES = {"租户": (18, 70), "配偶": (24, 82), "子女": (1, 50), "父母": (55, 92)}


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _id_number(rng: random.Random, birth_year_range=(1950, 2000)) -> str:
    birth = datetime.date(rng.randint(*birth_year_range), rng.randint(1, 12), rng.randint(1, 28))
    first17 = rng.choice(REGIONS) + birth.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
    return first17 + validation.resident_id_check_char(first17)


def _mobile(rng: random.Random) -> str:
    return rng.choice(["13", "15", "17", "18", "19"]) + str(rng.randint(0, 9)) + f"{rng.randint(0, 99999999):08d}"


def _day(now: datetime.datetime, days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
    """A time of the day `days_ago` days before the demo is made (1 or more: always past)."""
    return datetime.datetime.combine(now.date() - datetime.timedelta(days=days_ago), datetime.time(hour, minute))


def _month_start(day: datetime.date, back: int) -> datetime.date:
    """The first day of the month `back` months before `day`'s."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


_INSERTED: list = []  # the models rows went into with their ids given: their sequences move on after


def _insert(model, rows: list[dict], batch: int = 400) -> None:
    for i in range(0, len(rows), batch):
        model.insert_many(rows[i:i + batch]).execute()
    if model not in _INSERTED:
        _INSERTED.append(model)


def create(size: str = "small", *, seed: int = 20261123, progress=None) -> dict:
    """Fill an empty database with the demo estate. Returns counts of what was made."""
    if size not in SIZES:
        raise ValueError(size)
    spec = SIZES[size]
    rng = random.Random(seed)
    now = clock.now()
    today = now.date().replace(day=1)  # handovers and moves are counted back from this month's start
    with atomic():
        if House.select().exists() or users.User.select().exists():
            raise OfficeError(QT_TRANSLATE_NOOP("Office", "The demo estate can only be made in an empty database"))
        admin = None
        for username, full_name, roles in DEMO_USERS:
            u = users.User.create(username=username, full_name=full_name, roles=",".join(roles),
                                  password_hash=users._hasher.hash(DEMO_PASSWORD), created_at=clock.now())
            admin = admin or u
        houses, units, buildings = [], [], []
        owners, links, residents, keys, docs = [], [], [], [], []
        house_id = unit_id = owner_id = resident_id = 0
        for b_index, (code, n_units, floors, per_floor) in enumerate(spec.buildings, start=1):
            buildings.append(dict(id=b_index, code=code, name=f"{code}栋", sort_key=int(code), floors=floors))
            for u_code in range(1, n_units + 1):
                unit_id += 1
                units.append(dict(id=unit_id, building=b_index, code=str(u_code), name=f"{u_code}单元"))
                for floor in range(1, floors + 1):
                    for k in range(1, per_floor + 1):
                        house_id += 1
                        number = f"{floor}{k:02d}"
                        shop = code == "1" and floor == 1
                        r = rng.random()
                        if house_label(code, str(u_code), number) == "3-2-1201":
                            r = 0.5  # owner-occupied, for the counter scenario
                        state = ("undelivered" if r < 0.04 else "vacant" if r < 0.12 else
                                 "renovating" if r < 0.17 else "rented" if r < 0.30 else "owner_occupied")
                        area = rng.choice([6850, 8923, 8950, 10412, 12766, 14300]) if not shop else 4520
                        houses.append(dict(
                            id=house_id, unit=unit_id, number=number, floor=floor, area=area,
                            label=house_label(code, str(u_code), number),
                            sort_code=house_sort_code(code, str(u_code), number),
                            use="commercial" if shop else "residential",
                            right_type="commodity" if rng.random() < 0.9 else "work_unit",
                            state=state, note="", household_notes="", owner_names="",
                            special_needs=("独居老人" if rng.random() < 0.02 else ""),
                            handover_date=None if state == "undelivered" else
                            today - datetime.timedelta(days=rng.randint(30, 3000))))
                        if state == "undelivered":
                            continue
                        names = []
                        scenario = houses[-1]["label"] == "3-2-1201"  # the counter scenario's owner
                        for co in range(2 if rng.random() < 0.15 and not scenario else 1):
                            owner_id += 1
                            name = "张三" if scenario else _name(rng)
                            names.append(name)
                            phone = _mobile(rng)
                            owners.append(dict(
                                id=owner_id, name=name, gender=rng.choice(["male", "female"]),
                                id_type="resident_id", id_number=_id_number(rng), phone=phone,
                                phone2="", occupation=rng.choice(OCCUPATIONS),
                                employer=rng.choice(EMPLOYERS), work_address="", education="",
                                hometown=rng.choice(HOMETOWNS), note="", created_at=clock.now()))
                            links.append(dict(house=house_id, owner=owner_id, is_primary=co == 0,
                                              since=houses[-1]["handover_date"], until=None))
                            keys += [dict(kind="owner", ref_id=owner_id, key=k)
                                     for k in sorted(pinyin_index.keys_for(name, [phone]))]
                        houses[-1]["owner_names"] = "、".join(names)
                        n_res = 0 if state == "vacant" else max(0, round(rng.gauss(spec.residents_per_house, 1)))
                        for i in range(n_res):
                            resident_id += 1
                            tenant = state == "rented"
                            name = _name(rng) if tenant or i else names[0][0] + rng.choice(GIVEN)
                            phone = _mobile(rng) if rng.random() < 0.7 else ""
                            moved_out = (today - datetime.timedelta(days=rng.randint(1, 300))
                                         if rng.random() < 0.03 else None)
                            relation = "租户" if tenant else rng.choice(["配偶", "子女", "父母"])
                            residents.append(dict(
                                id=resident_id, house=house_id, kind="tenant" if tenant else "member",
                                name=name, relation=relation, age=rng.randint(*AGES[relation]), phone=phone,
                                category=("nonlocal" if tenant and rng.random() < 0.6 else
                                          "temporary" if tenant else "local"),
                                moved_in=houses[-1]["handover_date"], moved_out=moved_out, note=""))
                            keys += [dict(kind="resident", ref_id=resident_id, key=k)
                                     for k in sorted(pinyin_index.keys_for(name, [phone]))]
                        groups = {"movein", "personal", "handover"} | ({"renovation"} if state == "renovating" else set())
                        for item, (group, _) in ITEMS.items():
                            if group in groups and rng.random() < 0.93:
                                docs.append(dict(house=house_id, item=item, received=True,
                                                 received_on=houses[-1]["handover_date"],
                                                 scan_hash="", scan_name="", note=""))
            if progress:
                progress(b_index, len(spec.buildings))
        _insert(Building, buildings)
        _insert(Unit, units)
        _insert(House, houses, 200)
        _insert(Owner, owners, 200)
        _insert(Ownership, links)
        _insert(Resident, residents, 200)
        _insert(NameKey, keys, 900)
        _insert(ArchiveDocument, docs, 900)
        EstateProfile.delete().execute()
        EstateProfile.create(
            name="翠湖花园", address="深圳市南山区翠湖路88号", postal_code="518052",
            police_station="南山派出所翠湖警务室", households=len(houses),
            buildings=len(buildings), shops=sum(1 for h in houses if h["use"] == "commercial"),
            parking_spaces=len(houses) // 2, managed_area=sum(h["area"] for h in houses),
            nearby_schools="翠湖小学、南山实验中学、翠湖幼儿园",
            office_name="翠湖花园物业服务中心", office_phone="0755-86001234",
            office_hours="08:30-17:30", office_address="翠湖花园1栋一楼")
        from models import billing, cashier, fees

        _sync_ids(users.User, Building, Unit, House, Owner, Ownership, Resident, fees.Subscription,
                  billing.Charge, cashier.Receipt, cashier.Settlement)
        counts = dict(buildings=len(buildings), units=len(units), houses=len(houses),
                      owners=len(owners), residents=len(residents), documents=len(docs))
        counts.update(_money(admin, rng, houses, now))
        counts.update(_parcels(admin, rng, houses, now))
        counts.update(_keys(houses, now))
        counts.update(_handbook())
        counts.update(_lent_items(houses, now))
        counts.update(_repairs(houses, now))
        counts.update(_complaints(houses, now))
        counts.update(_visits(houses, rng, now))
        counts.update(_vacant_rounds(houses, now))
        counts.update(_renovations(houses, now))
        counts.update(_moveins(houses, now))
        counts.update(_registers(houses, now))
        audit.record(admin, "demo.create", "estate", None, size, counts)
    return counts


SCENARIO_HOUSE = "3-2-1201"


def _keys(houses: list[dict], now: datetime.datetime) -> dict:
    """The key cabinet: public parts' keys with their keepers, two houses' keys in custody,
    and a few loans out: two this morning, one lent two days ago and overdue."""
    from models import deadlines, keys

    clerk = users.User.get(users.User.username == "wang")
    public = [("P-01", "1栋水泵房", "B柜1号", 2, "工程部 刘工"), ("P-02", "1栋配电室", "B柜2号", 1, "工程部 刘工"),
              ("P-03", "3栋天台", "B柜3号", 2, "秩序部 陈队"), ("P-04", "地下车库机房", "B柜4号", 1, "工程部 刘工"),
              ("P-05", "会所活动室", "B柜5号", 3, "客服部 王芳")]
    rows = [dict(tag=t, name=n, kind="public", house=None, position=p, copies=c, responsible=r, note="", active=True)
            for t, n, p, c, r in public]
    custody = [h for h in houses if h["state"] in ("vacant", "undelivered")][:2]
    for n, h in enumerate(custody, start=1):
        rows.append(dict(tag=f"H-{n:02d}", name=f"{h['label']} 入户门", kind="house", house=h["id"],
                         position=f"A柜{n}号", copies=2, responsible="", note="", active=True))
    _insert(keys.DeskKey, rows)
    by_tag = {k.tag: k.id for k in keys.DeskKey.select()}
    loans = [("P-01", "staff", "李师傅", "刘工", now - datetime.timedelta(minutes=80), "水泵巡检"),
             ("P-03", "contractor", "防水施工 周", "陈队", _day(now, 2, 14, 5), "天台防水维修")]
    if custody:
        loans.append(("H-01", "owner", "业主本人", "", now - datetime.timedelta(minutes=45), "看房"))
    days, calendar = settings.office.key_due_days, deadlines.Calendar.from_settings()
    _insert(keys.KeyLoan, [dict(key=by_tag[tag], state="out", borrower_kind=kind, borrower=who, phone="",
                                id_number="", letter_received=False, confirmed_how="", confirmed_at=None,
                                approved_by=approved, purpose=purpose, lent_at=at, lent_by=clerk.id,
                                due_at=deadlines.after_days(at, days, calendar), note="", returned_by="")
                           for tag, kind, who, approved, at, purpose in loans])
    # the cabinet last counted at the start of the month, all present
    expected = {k.id: k.copies for k in keys.DeskKey.select()}
    check = keys.KeyCheck.create(checked_at=_day(now, max(now.day - 1, 1), 9), checked_by=clerk.id,
                                 responsible="客服主管 赵敏", note="", short=0, extra=0)
    _insert(keys.KeyCheckLine, [dict(check=check.id, key=k, expected=n, counted=n) for k, n in expected.items()])
    return dict(keys=len(rows))


CONTACTS = [  # category, name, responsible person, phone, address
    ("water", "市自来水公司客服热线", "", "96116", ""),
    ("power", "国网供电服务热线", "", "95598", ""),
    ("power", "供电所（本片区）", "周师傅", "0755-86011234", "南山大道1012号"),
    ("gas", "燃气集团抢修热线", "", "96777", ""),
    ("heating", "热力公司客服", "", "0755-87654321", ""),
    ("police", "翠湖警务室（南山派出所）", "刘警官", "0755-87023110", "湖滨路88号"),
    ("cable", "华数有线电视报修", "", "96345", ""),
    ("telecom", "中国电信宽带报修", "", "10000", ""),
    ("telecom", "中国移动宽带报修", "", "10086", ""),
    ("school", "翠湖幼儿园", "陈园长", "0755-86543210", "翠湖路3号"),
    ("school", "湖滨第二小学", "教务处", "0755-86547788", "湖滨路120号"),
    ("locksmith", "便民开锁（公安备案）", "孙师傅", "13805712345", "翠湖路底商9号"),
    ("movers", "安家搬家公司", "吴经理", "0755-86669999", ""),
    ("post", "湖滨邮政所", "", "0755-86021234", "湖滨路56号"),
    ("hospital", "市第一人民医院急诊", "", "0755-87065701", "浣纱路261号"),
    ("hospital", "社区卫生服务中心", "", "0755-86778899", "翠湖路15号"),
    ("recycling", "绿源再生资源回收", "郑师傅", "13605719876", ""),
    ("contractor", "电梯维保：奥捷电梯工程", "冯工", "13957112233", ""),
    ("contractor", "消防维保：安盾消防技术", "何工", "13857134455", ""),
    ("contractor", "防水（总包保修期内）：建工三公司", "杨工", "13758176655", ""),
]
PRICES = [  # category, name, unit, price in yuan or a rule written out
    ("水电维修", "更换水龙头", "个", "20", ""),
    ("水电维修", "疏通下水道", "次", "50", ""),
    ("水电维修", "更换灯具、开关、插座", "个", "15", ""),
    ("水电维修", "更换坐便器水箱配件", "套", "30", ""),
    ("门窗五金", "更换门锁锁芯", "个", "30", ""),
    ("门窗五金", "门窗合页调整", "扇", "20", ""),
    ("家政", "日常保洁", "小时", "40", ""),
    ("家政", "油烟机清洗", "台", "120", ""),
    ("代办", "代办房屋出租", "次", "", "月租金的40%"),
    ("其他", "装修垃圾清运", "车", "200", ""),
]


def _lent_items(houses: list[dict], now: datetime.datetime) -> dict:
    """What the desk lends: a ladder, tools, a cart …; two loans out: the ladder since
    yesterday (due back by tonight), the drill since this morning."""
    from models import deadlines, lending

    clerk = users.User.get(users.User.username == "wang")
    items = [("J-01", "人字梯（2米）", ""), ("J-02", "电钻", "含钻头一盒"), ("J-03", "手推车", ""),
             ("J-04", "管钳", ""), ("J-05", "雨伞", "")]
    _insert(lending.LendItem, [dict(tag=t, name=n, note=note, active=True) for t, n, note in items])
    by_tag = {i.tag: i.id for i in lending.LendItem.select()}
    occupied = [h for h in houses if h["owner_names"] and h["state"] not in ("vacant", "undelivered")]
    loans = [("J-01", occupied[1], _day(now, 1, 10, 5), "完好，防滑脚垫齐全"),
             ("J-02", occupied[2], now - datetime.timedelta(minutes=70), "完好，钻头12支")]
    days, calendar = settings.office.item_due_days, deadlines.Calendar.from_settings()
    _insert(lending.ItemLoan, [dict(item=by_tag[tag], state="out", house=h["id"],
                                    borrower=h["owner_names"].split("、")[0], phone="", lent_at=at, lent_by=clerk.id, due_at=deadlines.after_days(at, days, calendar), condition_out=cond,
                                    signature_out=None, closed_at=None, closed_by=None, condition_back="",
                                    signature_back=None) for tag, h, at, cond in loans])
    return dict(lent_items=len(items))


def _repairs(houses: list[dict], now: datetime.datetime) -> dict:
    """The technicians and a week of repairs: closed, one reopened as rework and done again,
    some waiting for their return visit (two of them due today), one dispatched this morning
    with its time promised later today, one just reported."""
    from models import repairs

    clerk = users.User.get(users.User.username == "wang")
    boss = users.User.get(users.User.username == "zhao")
    techs = [repairs.save_technician(boss, name=n, phone=ph, trade=t) for n, ph, t in (
        ("刘建国", "13912340001", "水电"), ("陈志强", "13912340002", "木工门窗"), ("周海", "13912340003", "综合维修"))]
    occupied = [h for h in houses if h["owner_names"] and h["state"] not in ("vacant", "undelivered")]
    jobs = [  # (days ago, hour — today: minutes ago, category, what, place, technician, then)
        (6, 9, "water", "厨房水龙头漏水", "厨房", 0, "closed"),
        (6, 14, "electric", "客厅灯不亮", "客厅", 0, "closed"),
        (5, 10, "door_window", "入户门锁芯卡滞", "入户门", 1, "rework"),
        (3, 11, "leak", "卫生间顶棚滴水", "卫生间", 0, "done"),  # its return visit: 3 days after the leak test
        (2, 16, "public", "楼道声控灯不亮", "", 2, "done"),
        (1, 9, "water", "马桶水箱不止水", "卫生间", 0, "done"),
        (0, 50, "safety", "电梯按钮失灵", "", 2, "dispatched"),
        (0, 3, "door_window", "阳台推拉门脱轨", "阳台", None, "waiting"),
    ]
    for n, (d, hour, category, what, place, tech, then) in enumerate(jobs):
        at = _day(now, d, hour) if d else now - datetime.timedelta(minutes=hour)
        h = occupied[(n * 37) % len(occupied)]
        public = category in ("public", "safety")
        with clock.frozen(at):
            r = repairs.report(clerk, house_id=None if public else h["id"],
                               reporter=h["owner_names"].split("、")[0], place=place or f"{h['label'][:1]}栋电梯厅",
                               what=what, category=category, urgency="urgent" if category == "safety" else "normal")
        if then == "waiting":
            continue
        with clock.frozen(at + datetime.timedelta(minutes=6)):
            repairs.dispatch(clerk, r.id, techs[tech].id, at + datetime.timedelta(hours=2))
        if then == "dispatched":
            continue
        done_at = at + datetime.timedelta(hours=1, minutes=30)
        with clock.frozen(done_at):
            repairs.complete(clerk, r.id, materials="", labour_minutes=45,
                             leak_test_at=done_at if category == "leak" else None)
        if then in ("closed", "rework"):
            with clock.frozen(done_at + datetime.timedelta(days=1)):
                repairs.visit(clerk, r.id, ok=then == "closed", how="phone",
                              note="" if then == "closed" else "锁仍偶有卡滞")
        if then == "rework":  # back to the same technician at the owner's time, done yesterday
            again = _day(now, 1, 10)
            with clock.frozen(done_at + datetime.timedelta(days=1, minutes=10)):
                repairs.dispatch(clerk, r.id, techs[tech].id, again)
            with clock.frozen(again + datetime.timedelta(minutes=50)):
                repairs.complete(clerk, r.id, materials="锁芯1个", labour_minutes=30)
    return dict(repairs=len(jobs))


def _complaints(houses: list[dict], now: datetime.datetime) -> dict:
    """A week of complaints and the rest: one closed, a minor one answered and to be done
    today, a major one reported up and open, one recorded since yesterday and waiting for
    its first answer, a suggestion and a praise."""
    from models import complaints

    clerk = users.User.get(users.User.username == "wang")
    occupied = [h for h in houses if h["owner_names"] and h["state"] not in ("vacant", "undelivered")]
    items = [  # (days ago, hour — today: minutes ago, kind, what, about, asks, class, then)
        (5, 20, "complaint", "楼上装修夜间施工，22点后仍在电钻", "装修户", "晚上8点后停止施工", "important", "closed"),
        (2, 10, "complaint", "地下车库照明多处不亮", "工程部", "尽快修复", "minor", "answered"),
        (1, 9, "complaint", "电梯困人约20分钟，救援迟缓", "电梯维保单位", "说明原因并整改", "major", "escalated"),
        (1, 15, "suggestion", "建议增设快递柜", "", "", "", "closed"),
        (0, 90, "praise", "保安帮忙搬运行李", "秩序部", "", "", "closed"),
        (0, 20 * 60, "complaint", "垃圾桶满溢未及时清运", "保洁部", "", "", "open"),
    ]
    for n, (d, hour, kind, what, about, asks, klass, then) in enumerate(items):
        h = occupied[(n * 53 + 11) % len(occupied)]
        at = _day(now, d, hour, 5) if d else now - datetime.timedelta(minutes=hour)
        with clock.frozen(at):
            c = complaints.record(clerk, kind=kind, house_id=h["id"], name=h["owner_names"].split("、")[0],
                                  what=what, about=about, asks=asks)
        if klass:
            with clock.frozen(at + datetime.timedelta(minutes=20)):
                complaints.classify(clerk, c.id, klass)
        if then in ("closed", "escalated") and kind == "complaint":
            with clock.frozen(at + datetime.timedelta(minutes=40)):
                complaints.escalate(clerk, c.id, "客服部 赵经理" if klass == "important" else "总经理 孙总")
                complaints.answer(clerk, c.id, "已告知业主处理安排")
        if then == "answered":
            with clock.frozen(at + datetime.timedelta(hours=1)):
                complaints.answer(clerk, c.id, "已派工程部检查，今日内修复")
        if then == "closed":
            with clock.frozen(min(at + datetime.timedelta(hours=20), now - datetime.timedelta(minutes=5))):
                complaints.close(clerk, c.id, "已处理并告知业主" if kind == "complaint" else "已记录并致谢")
    return dict(complaints=len(items))


def _visits(houses: list[dict], rng: random.Random, now: datetime.datetime) -> dict:
    """This month's visit plans for two buildings, the visits of the last two weeks (under
    their month's plan), and the year's owners' survey with some answers."""
    from models import visits
    from models.estate import Building

    clerk = users.User.get(users.User.username == "wang")
    boss = users.User.get(users.User.username == "zhao")
    buildings = list(Building.select().order_by(Building.sort_key, Building.code)[:2])
    plans = {(b.id, f"{now:%Y-%m}"): visits.plan(boss, clerk.id, b.id, f"{now:%Y-%m}") for b in buildings}
    occupied = [h for h in houses if h["owner_names"] and h["state"] not in ("vacant", "undelivered")]
    said = [("对物业服务满意", "none", ""), ("地下车库夜间照明不足", "parking", "已报工程部检修"),
            ("楼道堆放杂物", "cleaning", "已通知保洁清理并张贴提示"), ("希望增加儿童游乐设施", "other", "已汇总上报"),
            ("装修噪音影响休息", "noise", "已约谈装修户"), ("车位紧张，外来车辆多", "parking", "加强门岗登记"),
            ("绿化修剪及时，满意", "none", "")]
    n = 0
    for building, first in zip(buildings, (0, 3)):
        in_building = [h for h in occupied if h["label"].split("-")[0] == building.code][:4]
        for k, h in enumerate(in_building):
            opinion, problem, follow = said[(first + k) % len(said)]
            at = _day(now, 11 - 3 * k, 15, 30)
            key = (building.id, f"{at:%Y-%m}")
            if key not in plans:  # a visit of last month, on last month's plan
                plans[key] = visits.plan(boss, clerk.id, building.id, key[1])
            with clock.frozen(at):
                visits.record(clerk, h["id"], opinion=opinion, problem=problem, follow_up=follow,
                              plan_id=plans[key].id, met=h["owner_names"].split("、")[0])
            n += 1
    answered = _day(now, 3, 16)
    survey = visits.set_survey(boss, answered.year, f"{answered.year}年业主意见征询表", [
        ("您对物业服务的总体评价", "score"), ("您对保洁工作的评价", "score"), ("您对安保工作的评价", "score"),
        ("您对维修及时性的评价", "score"), ("您愿意向亲友推荐本小区吗", "yes_no"), ("您的其他意见和建议", "text")])
    qs = visits.questions(survey.id)
    remarks = ["希望增加停车位", "", "电梯维保要及时", "", "", "快递柜不够用", ""]
    with clock.frozen(answered):
        for k, h in enumerate(occupied[:36]):
            visits.enter_answers(clerk, survey.id, h["id"], {
                qs[0].id: rng.choice([3, 4, 4, 5, 5]), qs[1].id: rng.choice([3, 4, 5]), qs[2].id: rng.choice([4, 5]),
                qs[3].id: rng.choice([2, 3, 4, 5]), qs[4].id: rng.random() < 0.8, qs[5].id: remarks[k % len(remarks)]})
    return dict(visits=n, survey_answers=36)


def _handbook() -> dict:
    """The office's contacts directory and its paid-service price list (有偿服务价目表)."""
    from models import handbook

    _insert(handbook.Contact, [dict(category=c, name=n, person=p, phone=ph, address=a, note="")
                               for c, n, p, ph, a in CONTACTS], 200)
    _insert(handbook.PriceItem, [dict(category=c, name=n, unit=u, price=int(y) * 100 if y else None, price_text=t,
                                      note="", sort_order=i) for i, (c, n, u, y, t) in enumerate(PRICES)], 200)
    return dict(contacts=len(CONTACTS), prices=len(PRICES))


def _vacant_rounds(houses: list[dict], now: datetime.datetime) -> dict:
    """The vacant houses' weekly round (seed 003): inspected within the week, every sixth due
    again later today, one last seen ten days ago (overdue); the first found a damp wall."""
    from models import vacant

    clerk = users.User.get(users.User.username == "wang")
    day, hour = datetime.timedelta(days=1), datetime.timedelta(hours=1)
    rows = []
    for n, h in enumerate(h for h in houses if h["state"] == "vacant"):
        if n == 1:
            last = now - 10 * day
        elif n % 6 == 5:
            last = now - 7 * day + (1 + n % 3) * hour
        else:
            last = now - (1 + n % 5) * day - (n % 3) * hour
        for week in range(4):
            found = n == 0 and week == 0
            rows.append(dict(house=h["id"], inspected_at=last - week * 7 * day, inspected_by=clerk.id, doors_ok=True,
                             water_power_ok=True, no_leaks=not found, no_smells=True,
                             findings="北卧外墙返潮，待业主确认" if found else ""))
    _insert(vacant.VacantInspection, rows)
    return dict(vacant_inspections=len(rows))


def _sync_ids(*models) -> None:
    """On PostgreSQL, each table's id sequence moved past the rows inserted with their ids,
    so that the core's own inserts after them get new ones (none named: every table the demo
    filled so)."""
    if db.is_sqlite():
        return
    for model in models or tuple(_INSERTED):
        if not isinstance(model._meta.primary_key, pw.AutoField):
            continue  # a table keyed otherwise has no sequence
        table = model._meta.table_name
        db.database.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")


def _renovations(houses: list[dict], now: datetime.datetime) -> dict:
    """Three renovations through the core, each at its step: one with works going on (its
    rectification due today, its waterproofing test ready to read), one accepted and waiting
    for its deposit's refund, one applied yesterday waiting for the desk."""
    from models import renovation
    from models.pricelist import Extra

    clerk = users.User.get(users.User.username == "wang")
    cashier_user = users.User.get(users.User.username == "li")
    renovating = [h for h in houses if h["state"] == "renovating" and h["owner_names"]][:3]
    if len(renovating) < 3:
        return dict(renovations=0)
    crews = [[renovation.NewWorker("刘建国", "110101198001010037", "13800138001", "瓦工"),
              renovation.NewWorker("陈志强", "11010119850306123X", "13800138002", "水电工")],
             [renovation.NewWorker("赵德明", "110101199003070513", "13800138003", "木工")],
             [renovation.NewWorker("孙立平", "110101199003077571", "13800138004", "油漆工")]]

    def apply(h, crew, days_ago, length, risks):
        with clock.frozen(_day(now, days_ago, 9, 30)):
            start = clock.today() + datetime.timedelta(days=1)
            return renovation.apply(clerk, h["id"], applicant=h["owner_names"].split("、")[0], phone="13912345678",
                                    contractor="顺达装饰工程有限公司", licence="91110105MA01ABCD3X",
                                    contractor_phone="010-66668888", scope="厨卫翻新，更换地砖，卫生间重做防水",
                                    risks=risks, planned_start=start, planned_end=start + datetime.timedelta(days=length),
                                    workers=crew)

    def through_permit(case, days_ago):
        with clock.frozen(_day(now, days_ago, 10)):
            renovation.approve(clerk, case.id, "desk")
            renovation.approve(clerk, case.id, "engineering", engineer="刘工", note="卫生间须做闭水试验")
            renovation.approve(clerk, case.id, "supervisor",
                               approver=users.approve("zhao", DEMO_PASSWORD, "service.manage"))
            renovation.sign(clerk, case.id)
            deposit, debris = renovation.amounts()
            cashier.take_payment(cashier_user, case.house_id, [], "wechat", deposit=deposit,
                                 extras=[Extra("debris", debris, case.number_text)],
                                 also=lambda r: renovation.money_taken(cashier_user, case.id, r))
            renovation.issue_permit(clerk, case.id)

    from models import cashier

    _sync_ids()  # the core writes charges, receipts and settlements below
    working = apply(renovating[0], crews[0], 12, 45, ["waterproofing", "electrics"])
    through_permit(working, 11)
    with clock.frozen(_day(now, 6, 15)):
        renovation.inspect(clerk, working.id, findings="正常施工，垃圾已清运")
    with clock.frozen(_day(now, 4, 10)):
        renovation.inspect(clerk, working.id, findings="楼道堆放装修垃圾", debris_ok=False,
                           rectify="清理楼道装修垃圾，袋装运至指定地点", days=4)
    with clock.frozen(now - datetime.timedelta(hours=47)):  # ready to read an hour after the demo opens
        renovation.start_test(clerk, working.id, area="卫生间")
    accepted = apply(renovating[1], crews[1], 40, 30, ["electrics"])
    through_permit(accepted, 39)
    with clock.frozen(_day(now, 2, 16)):
        renovation.final_inspection(clerk, accepted.id, passed=True, findings="验收合格")
    apply(renovating[2], crews[2], 1, 60, ["walls"])
    return dict(renovations=3)


def _moveins(houses: list[dict], now: datetime.datetime) -> dict:
    """Two move-ins through the core: one done ten days ago (no defect found), one begun this
    morning and stopped at its papers: the owner forgot the purchase invoice (SCENARIOS 13)."""
    from models import movein, owners

    clerk = users.User.get(users.User.username == "wang")
    admin = users.User.get(users.User.username == "admin")
    new = [h for h in houses if h["state"] == "undelivered"][:2]
    if len(new) < 2:
        return dict(moveins=0)
    with clock.frozen(_day(now, 30, 9)):  # the developer's list of buyers, entered ahead
        for h, (name, phone, id_number) in zip(new, (("周建华", "13911112222", "110101198001010037"),
                                                      ("吴晓梅", "13933334444", "110101199003070513"))):
            owners.add_owner(admin, h["id"], name=name, phone=phone, id_number=id_number)
    _sync_ids()  # the core writes subscriptions and key loans below
    done_on = now.date() - datetime.timedelta(days=10)
    with clock.frozen(_day(now, 10, 10)):
        case = movein.start(clerk, new[0]["id"], planned=done_on)
        movein.notice_printed(clerk, case.id)
        movein.receive_papers(clerk, case.id, list(movein.PAPERS))
        movein.inspected(clerk, case.id)
        movein.hand_keys(clerk, case.id, count=3, which="入户门钥匙2把、信箱钥匙1把")
        movein.set_handover(clerk, case.id, on=done_on)
        movein.finish_without_charges(clerk, case.id, "首期物业费由开发商代缴")
    started = max(now - datetime.timedelta(hours=1), datetime.datetime.combine(now.date(), datetime.time()))
    with clock.frozen(started):
        case = movein.start(clerk, new[1]["id"], planned=now.date())
        movein.notice_printed(clerk, case.id)
        movein.receive_papers(clerk, case.id, [p for p in movein.PAPERS if p != "purchase_invoice"])
    return dict(moveins=2)


def _parcels(admin, rng: random.Random, houses: list[dict], now: datetime.datetime) -> dict:
    """The front desk's last week of parcels: most picked up within the free day, the last
    day's still waiting (within their free day), one waiting 40 hours (its owner pays 3
    yuan at pickup), one refused."""
    from models import parcels

    clerk = users.User.get(users.User.username == "wang")
    occupied = [h for h in houses if h["owner_names"] and h["state"] not in ("vacant", "undelivered")]
    couriers = ["顺丰", "京东", "中通", "圆通", "韵达", "EMS"]
    prefixes = {"顺丰": "SF", "京东": "JD", "中通": "ZT", "圆通": "YT", "韵达": "YD", "EMS": "EM"}
    rows, codes = [], set()
    for n in range(41):
        h = rng.choice(occupied)
        courier = rng.choice(couriers)
        at = now - datetime.timedelta(minutes=rng.randint(10, 7 * 24 * 60))
        if n == 40:  # the one the scenario's owner comes for
            at = now - datetime.timedelta(hours=40)
        waiting = n == 40 or at > now - datetime.timedelta(hours=20)
        code = ""
        if waiting:
            while not code or code in codes:
                code = str(rng.randint(100_000, 999_999))
            codes.add(code)
        picked = None if waiting else min(at + datetime.timedelta(hours=rng.randint(1, 23)),
                                          now - datetime.timedelta(minutes=5))
        rows.append(dict(house=h["id"], state="waiting" if waiting else "picked_up", courier=courier,
                         tracking=f"{prefixes[courier]}{rng.randint(10 ** 11, 10 ** 12 - 1)}",
                         recipient=h["owner_names"].split("、")[0], phone="",
                         shelf="B-3" if n == 40 else f"{'ABC'[n % 3]}-{n % 5 + 1}",
                         code=code, note="", received_at=at, received_by=clerk.id, refusal="",
                         picked_up_at=picked, handed_by=clerk.id if picked else None, proxy_name="",
                         proxy_id_number="", fee=0))
    rows.append(dict(house=occupied[0]["id"], state="refused", courier="京东", tracking="JD000000000001",
                     recipient=occupied[0]["owner_names"].split("、")[0], phone="", shelf="", code="", note="",
                     received_at=_day(now, 2, 15, 20), received_by=clerk.id,
                     refusal="电视机，易碎贵重", picked_up_at=None, handed_by=None, proxy_name="", proxy_id_number="",
                     fee=0))
    _insert(parcels.Parcel, rows, 200)
    return dict(parcels=len(rows))


def _money(admin, rng: random.Random, houses: list[dict], now: datetime.datetime) -> dict:
    """Prices, the houses' monthly fees from their handover, the bills of the two months
    before this one (each posted on its 1st, with its water read on its 3rd), and the
    payments most houses made, some after the due day with their late fee, none after now.
    This month is left to read and bill. 3-2-1201 (张三) still owes last month's fees and
    water (the counter scenario)."""
    from fractions import Fraction

    from models import billing, cashier, fees, latefee, money, settings

    settings.update({"late_fee_items": ["service", "water"]}, user=admin)
    prices = {"service": 25000, "waste": 100000, "parking": 1500000, "water": 31000}
    for code, price in prices.items():
        fees.FeeItem.update(unit_price=price).where(fees.FeeItem.code == code).execute()
    from models import pricelist

    # the price list of paid services beside the seeds' rental share (migration 23)
    for name, price, unit in (("装灯", "10.00", "个"), ("疏通下水道", "50.00", "次"), ("更换水龙头（不含材料）", "20.00", "个")):
        pricelist.save(admin, name=name, item_code="service_paid", pricing="unit", price=price, unit=unit)
    item = {i.code: i for i in fees.items()}

    class Sub:  # what fees.periodic_amount reads of a subscription
        def __init__(self, row):
            self.starts, self.ends, self.quantity = row["starts"], None, row["quantity"]
            self._price = row["unit_price"] if row["unit_price"] is not None else item[row["code"]].unit_price

        def price(self):
            return self._price

    class Area:
        def __init__(self, area):
            self.area = area

    subs = []
    for h in houses:
        if h["handover_date"] is None:
            continue
        shop = h["use"] == "commercial"
        subs.append(dict(house=h["id"], code="service", quantity=1, unit_price=50000 if shop else None,
                         starts=h["handover_date"]))
        subs.append(dict(house=h["id"], code="waste", quantity=1, unit_price=None, starts=h["handover_date"]))
        if rng.random() < 0.3 and not shop:
            subs.append(dict(house=h["id"], code="parking", quantity=1, unit_price=None, starts=h["handover_date"]))
    for n, row in enumerate(subs, start=1):
        row["id"] = n
    _insert(fees.Subscription, [dict(id=r["id"], house=r["house"], item=item[r["code"]].id, quantity=r["quantity"],
                                     unit_price=r["unit_price"], starts=r["starts"], note="") for r in subs], 500)

    this_month = now.date().replace(day=1)
    months = [_month_start(this_month, back) for back in (2, 1)]
    billed = [(f"{m:%Y-%m}", m) for m in months]  # billed on their 1st
    water = [(f"{m:%Y-%m}", m + datetime.timedelta(days=2)) for m in months]  # read on their 3rd and charged
    first_billed, last_billed = billed[0][0], billed[1][0]
    by_id = {h["id"]: h for h in houses}
    late_items = {"service", "water"}
    charges = []
    for period, posted in billed:
        for r in subs:
            amount = fees.periodic_amount(item[r["code"]], Sub(r), Area(by_id[r["house"]]["area"]), period)
            if amount is not None:
                charges.append(dict(house=r["house"], item=item[r["code"]].id, code=r["code"], period=period,
                                    quantity=amount.quantity, unit_price=amount.unit_price, amount=amount.fen,
                                    due_date=fees.due_date(posted, 15), posted=posted,
                                    key=billing.run_key(period, r["id"])))
    from models import meters

    water_subs, readings = [], []
    on_water = [h for h in houses if h["handover_date"] is not None and h["state"] not in ("vacant", "undelivered")]
    for n, h in enumerate(on_water, start=len(subs) + 1):
        water_subs.append(dict(id=n, house=h["id"], item=item["water"].id, quantity=1, unit_price=None,
                               starts=h["handover_date"], note=""))
    _insert(fees.Subscription, water_subs, 500)
    last = {s["id"]: (s["house"] * 37) % 900 for s in water_subs}  # each meter's reading before
    for period, posted in water:
        for sub in water_subs:  # the water read at the start of the month it is billed in
            tons = rng.randint(4, 22)
            reading_id = len(readings) + 1
            readings.append(dict(id=reading_id, subscription=sub["id"], period=period, previous=last[sub["id"]],
                                 reading=last[sub["id"]] + tons, usage=tons, status="normal", read_on=posted,
                                 entered_at=datetime.datetime.combine(posted, datetime.time(10)),
                                 entered_by=admin.id, note="", billed=True))
            last[sub["id"]] += tons
            charges.append(dict(house=sub["house"], item=item["water"].id, code="water", period=period,
                                quantity=f"{last[sub['id']] - tons}→{last[sub['id']]} 用量 {tons}",
                                unit_price=money.price_text(31000, "元/吨"),
                                amount=tons * 310, due_date=fees.due_date(posted, 15), posted=posted,
                                key=meters.reading_key(reading_id)))
    _insert(meters.Reading, readings, 500)
    runs = {}
    for period, posted in billed:
        mine = [c for c in charges if c["period"] == period and c["key"].startswith("bill:")]
        runs[period] = billing.BillingRun.create(period=period, posted_at=datetime.datetime.combine(posted, datetime.time(9)),
                                                 posted_by=admin.id, charges=len(mine),
                                                 total=sum(c["amount"] for c in mine)).id
    for n, c in enumerate(charges, start=1):
        c["id"] = n
    _insert(billing.Charge, [dict(
        id=c["id"], house=c["house"], item=c["item"], period=c["period"], description="", quantity=c["quantity"],
        unit_price=c["unit_price"], amount=c["amount"], due_date=c["due_date"], late_fee=c["code"] in late_items,
        posted_at=datetime.datetime.combine(c["posted"], datetime.time(9)), posted_by=admin.id,
        run=runs[c["period"]] if c["key"].startswith("bill:") else None,
        source="billing" if c["key"].startswith("bill:") else "meter", key=c["key"]) for c in charges], 500)

    # payments: a house pays a month's bills together (service, waste, parking, and the
    # water read at that month's start) on one day, most of them by the due day
    bills = {}
    for c in charges:
        bills.setdefault((c["house"], c["period"]), []).append(c)
    cashier_user = users.User.get(users.User.username == "li")
    year = billed[0][1].year  # the series of the year the first of these payments was made in
    series = cashier.ReceiptSeries.create(code=str(year), prefix=f"{year}-", width=6, next_number=1, active=True)
    cashier.NumberRange.create(series=series, first=1, set_at=datetime.datetime(year, 1, 1, 8))
    rate = Fraction(1, 1000)
    payments = []
    for (house_id, month), lines in bills.items():
        label = by_id[house_id]["label"]
        if label == SCENARIO_HOUSE and month == last_billed:
            continue  # the counter scenario: still owed
        if rng.random() < (0.06 if month == first_billed else 0.12) and label != SCENARIO_HOUSE:
            continue  # arrears
        start = datetime.date(int(month[:4]), int(month[5:]), 3)  # once the month's water is charged
        on = start + datetime.timedelta(days=rng.choice([rng.randint(0, 12)] * 4 + [rng.randint(13, 40)]))
        at = datetime.datetime.combine(on, datetime.time(rng.randint(10, 17), rng.randint(0, 59)))
        if at < now:  # a payment still to come is owed today
            payments.append((at, house_id, lines))
    payments.sort(key=lambda p: p[0])
    receipts, settlements = [], []
    methods = ["cash"] * 4 + ["wechat"] * 4 + ["alipay"] * 2 + ["card", "transfer"]
    for number, (at, house_id, lines) in enumerate(payments, start=1):
        total = 0
        for c in lines:
            late = latefee.owed(c["amount"], c["due_date"], [], at.date(), rate) if c["code"] in late_items else 0
            settlements.append(dict(charge=c["id"], receipt=number, principal=c["amount"], late_fee=late,
                                    business_date=at.date(), void=False))
            total += c["amount"] + late
        method = rng.choice(methods)
        tendered = -(-total // 10000) * 10000 if method == "cash" else total  # cash: the next 100 yuan
        payer = by_id[house_id]["owner_names"].split("、")[0]
        receipts.append(dict(id=number, series=series.id, number=number, number_text=series.text(number),
                             kind="payment", house=house_id, payer=payer, method=method, total=total, tendered=tendered,
                             business_date=at.date(), created_at=at, cashier=cashier_user.id, note="", void=False,
                             void_reason="", reprints=0, invoice_number=""))
    _insert(cashier.Receipt, receipts, 300)
    _insert(cashier.Settlement, settlements, 500)
    cashier.ReceiptSeries.update(next_number=len(receipts) + 1).where(cashier.ReceiptSeries.id == series.id).execute()
    return dict(charges=len(charges), receipts=len(receipts))


def _registers(houses: list[dict], now: datetime.datetime) -> dict:
    """The desk's registers through the core: the last days' messages, passed on; one taken
    an hour ago for the manager, to call back later today; yesterday's shift handover,
    taken over (SCENARIOS 15)."""
    from models import messages, shifts

    _sync_ids()
    wang = users.User.get(users.User.username == "wang")
    li = users.User.get(users.User.username == "li")
    occupied = [h for h in houses if h["owner_names"]]
    if not occupied:
        return dict(messages=0)
    told = [("经理", "想问车位申请进度", "经理已回电"), ("工程部", "楼道灯不亮，请派人看看", "已转报修"),
            ("客服主管", "物业费发票什么时候能开", "已回电说明"), ("财务", "上月多交了水费", "财务已核实并回电")]
    n = 0
    for days_ago, (whom, about, outcome) in zip((3, 2, 2, 1), told):
        h = occupied[(days_ago * 37 + n) % len(occupied)]
        with clock.frozen(_day(now, days_ago, 10, 15)):
            m = messages.take(wang, caller=h["owner_names"].split("、")[0], for_whom=whom, about=about,
                              house_id=h["id"])
        with clock.frozen(_day(now, days_ago, 15, 40)):
            messages.done(wang, m.id, outcome)
        n += 1
    scenario = next((h for h in houses if h["label"] == SCENARIO_HOUSE), occupied[0])
    taken = max(now - datetime.timedelta(hours=1), datetime.datetime.combine(now.date(), datetime.time()))
    with clock.frozen(taken):
        messages.take(wang, caller=scenario["owner_names"].split("、")[0] or "张三", for_whom="经理",
                      about="车位申请进度，请回电", house_id=scenario["id"], phone="13800138000",
                      reply_by=max(now + datetime.timedelta(hours=2), taken + datetime.timedelta(hours=3)))
    with clock.frozen(_day(now, 1, 16)):
        h = shifts.hand_over(wang, DEMO_PASSWORD, note="白班无大事；包裹架 A 层已满，新件放 B 层。", cash=125_000,
                             to_user_id=li.id)
    with clock.frozen(_day(now, 1, 16, 5)):
        shifts.confirm(li, h.id, DEMO_PASSWORD, "现金已清点无误")
    counts = dict(messages=n + 1, handovers=1)
    counts.update(_gate(houses, now, wang))
    counts.update(_safety(houses, now, wang))
    return counts


def _gate(houses: list[dict], now: datetime.datetime, clerk) -> dict:
    """The gate's last days: visitors in and out (one inside now), release passes (a
    tenant's move-out with the owner's word, used at the gate), a letter and a parcel of
    keys left at the desk, one collected."""
    from models import left_items, passes, visitors

    occupied = [h for h in houses if h["owner_names"]]
    names = ["刘备", "关羽", "赵云", "黄忠", "马超", "孙权"]
    n = 0
    for days_ago in (2, 1):
        for k in range(3):
            h = occupied[(days_ago * 53 + k * 17) % len(occupied)]
            with clock.frozen(_day(now, days_ago, 9 + 3 * k, 20)):
                v = visitors.come_in(clerk, name=names[n % len(names)], house_id=h["id"],
                                     confirmed_by=h["owner_names"].split("、")[0] + "（对讲确认）", purpose="探亲访友")
            with clock.frozen(_day(now, days_ago, 10 + 3 * k, 5)):
                visitors.go_out(clerk, v.id)
            n += 1
    h = occupied[len(occupied) // 2]
    with clock.frozen(max(now - datetime.timedelta(minutes=40), datetime.datetime.combine(now.date(), datetime.time()))):
        visitors.come_in(clerk, name="诸葛亮", house_id=h["id"], confirmed_by=h["owner_names"].split("、")[0],
                         plate="粤B66666", purpose="送货")
    rented = next((x for x in houses if x["state"] == "rented" and x["owner_names"]), None)
    made = 0
    if rented is not None:
        from models.owners import Resident

        tenant = Resident.get_or_none(Resident.house == rented["id"], Resident.kind == "tenant",
                                      Resident.moved_out.is_null())
        if tenant is not None:
            with clock.frozen(_day(now, 1, 9, 30)):
                p = passes.issue(clerk, house_id=rented["id"], applicant=tenant.name, applicant_kind="tenant",
                                 items="床、衣柜、冰箱、纸箱 12 个", vehicle="粤B12345", moving_out=True,
                                 arrears_seen=True, authorised_by=rented["owner_names"].split("、")[0],
                                 authorised_how="phone", authorised_at=_day(now, 1, 9, 20))
            with clock.frozen(_day(now, 1, 10, 15)):
                passes.used(clerk, p.id, "搬家车辆已出")
            made += 1
    with clock.frozen(_day(now, 1, 14)):
        passes.issue(clerk, house_id=occupied[3]["id"], applicant=occupied[3]["owner_names"].split("、")[0],
                     items="旧沙发一张")
    made += 1
    with clock.frozen(_day(now, 2, 11)):
        letter = left_items.leave(clerk, kind="registered", what="挂号信", for_whom=occupied[5]["owner_names"],
                                  house_id=occupied[5]["id"], number="XA123456789CN", left_by="邮递员")
    with clock.frozen(_day(now, 1, 18)):
        left_items.collect(clerk, letter.id, collected_by=occupied[5]["owner_names"].split("、")[0])
    with clock.frozen(_day(now, 1, 15)):
        left_items.leave(clerk, kind="item", what="钥匙一串（给装修师傅）", for_whom="9-1-1502 装修师傅",
                         left_by=occupied[7]["owner_names"].split("、")[0], place="前台抽屉2", no_cash=True)
    return dict(visitors=n + 1, passes=made, left_items=2)


def _safety(houses: list[dict], now: datetime.datetime, clerk) -> dict:
    """The estate's facilities (all in order but one stair light), the daily patrol route
    and its rounds (today's walked), and last week's lift entrapment, closed."""
    from models import facilities, incidents, patrols

    zhao = users.User.get(users.User.username == "zhao")
    today = now.date()
    made = []
    with clock.frozen(now):  # maintained within their period: none due today
        for kind, name, place, count, every, contractor in (
                ("pump_room", "地下生活泵房", "2栋地下一层", 1, 30, "粤水机电"),
                ("pump", "生活水泵", "2栋地下泵房", 4, 30, "粤水机电"),
                ("lift", "电梯", "各栋各单元", 24, 15, "迅达电梯维保"),
                ("hydrant", "室外消火栓", "小区道路", 16, 90, "安消消防"),
                ("extinguisher", "干粉灭火器", "各栋各层", 320, 0, "安消消防"),
                ("valve", "总阀门", "各栋水表间", 12, 180, ""),
                ("street_light", "路灯", "小区道路", 60, 0, ""),
                ("stair_light", "楼道灯", "各栋楼梯间", 480, 0, ""),
                ("meter", "公共水电表", "各栋配电间", 24, 0, "")):
            made.append(facilities.add(zhao, kind=kind, name=name, place=place, count=count, every_days=every,
                                       maintained_on=today - datetime.timedelta(days=every // 2) if every else None,
                                       expires_on=today + datetime.timedelta(days=200) if kind == "extinguisher" else None,
                                       contractor=contractor))
        route = patrols.save_route(zhao, "公共区域日巡", ["1栋大堂", "2栋泵房", "3栋楼梯间", "4栋楼梯间", "5栋周边",
                                                    "7栋周边", "地下车库", "小区大门"])
    points = patrols.checkpoints(zhao, route.id)
    lights = next(f for f in made if f.kind == "stair_light")
    for days_ago in (2, 1, 0):
        started = _day(now, days_ago, 8) if days_ago else max(now - datetime.timedelta(hours=2),
                                                             datetime.datetime.combine(today, datetime.time()))
        with clock.frozen(started):
            r = patrols.start(clerk, route.id, "保安老陈")
            for k, p in enumerate(points):
                if days_ago == 1 and p.name == "4栋楼梯间":
                    found = patrols.check(clerk, r.id, checkpoint_id=p.id, ok=False, what="4栋2单元3楼楼道灯不亮",
                                          facility_id=lights.id, facility_faulty=1, raise_repair=True)
                    from models import repairs

                    electrician = next((t for t in repairs.technicians() if "电" in t.trade), repairs.technicians()[0])
                    repairs.dispatch(clerk, found.repair_id, electrician.id, now + datetime.timedelta(days=1))
                else:
                    patrols.check(clerk, r.id, checkpoint_id=p.id)
            patrols.finish(clerk, r.id)
    with clock.frozen(_day(now, 6, 19, 41)):
        i = incidents.open_incident(clerk, kind="lift", happened_at=_day(now, 6, 19, 40), place="5栋2单元电梯",
                                    what="一名住户被困电梯内", reported_by="住户家属")
        incidents.step(clerk, i.id, kind="called", at=_day(now, 6, 19, 41), who="迅达电梯维保")
    with clock.frozen(_day(now, 6, 20, 10)):
        incidents.step(clerk, i.id, kind="reported", at=_day(now, 6, 19, 43), who="经理赵强")
        incidents.step(clerk, i.id, kind="arrived", at=_day(now, 6, 19, 58), who="迅达维保人员")
        incidents.step(clerk, i.id, kind="resolved", at=_day(now, 6, 20, 5), note="住户被救出，无受伤")
    with clock.frozen(_day(now, 5, 9)):
        incidents.close(clerk, i.id, "电梯门机故障致困人，25 分钟解除；维保公司次日更换门机板，已恢复运行。")
    return dict(facilities=len(made), patrols=3, incidents=1)
