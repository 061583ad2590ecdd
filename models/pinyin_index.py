"""Search keys for people's names, so a clerk finds 张三 by typing 张, zhangsan or zs.

Each name gets ASCII keys kept in one indexed column and matched by prefix:
  p<pinyin>   full pinyin (zhangsan) and initials (zs), for every reading of the surname
              that surnames really take (单 shan/dan, 曾 zeng/ceng, 乐 yue/le, 朴 piao/pu …);
  n<hex>      the name's own characters, hex-encoded so that a prefix of the name is a
              prefix of the key whatever the database's collation;
  t<digits>   the last four digits of a phone.
"""
from __future__ import annotations

import functools
import itertools
import re

# Readings of surnames with more than one; the surname reading comes first.
SURNAME_READINGS: dict[str, list[str]] = {
    "单": ["shan", "dan"], "曾": ["zeng", "ceng"], "乐": ["yue", "le"], "朴": ["piao", "pu"],
    "仇": ["qiu", "chou"], "区": ["ou", "qu"], "查": ["zha", "cha"], "解": ["xie", "jie"],
    "盖": ["ge", "gai"], "尉": ["yu", "wei"], "缪": ["miao", "mou"], "翟": ["zhai", "di"],
    "覃": ["qin", "tan"], "种": ["chong", "zhong"], "召": ["shao", "zhao"], "折": ["she", "zhe"],
    "员": ["yun", "yuan"], "繁": ["po", "fan"], "秘": ["bi", "mi"], "谌": ["chen", "shen"],
    "沈": ["shen"], "柏": ["bai", "bo"], "臧": ["zang"], "贾": ["jia"], "华": ["hua"],
    "任": ["ren"], "过": ["guo"], "牟": ["mou", "mu"], "宿": ["su", "xiu"], "纪": ["ji"],
}
COMPOUND_SURNAMES: dict[str, list[str]] = {
    "万俟": ["mo", "qi"], "尉迟": ["yu", "chi"], "长孙": ["zhang", "sun"], "单于": ["chan", "yu"],
    "欧阳": ["ou", "yang"], "司马": ["si", "ma"], "诸葛": ["zhu", "ge"], "上官": ["shang", "guan"],
    "令狐": ["ling", "hu"], "皇甫": ["huang", "fu"], "澹台": ["tan", "tai"],
}

_CJK = re.compile(r"[\u3400-\u9fff]")


def _syllable_options(name: str) -> list[list[str]]:
    # pypinyin's dictionary takes a moment to load: only writes need it, not searches
    from pypinyin import Style, lazy_pinyin

    name = name.strip()
    options: list[list[str]] = []
    rest = name
    for compound, readings in COMPOUND_SURNAMES.items():
        if name.startswith(compound):
            options = [[r] for r in readings]
            rest = name[len(compound):]
            break
    else:
        if name and name[0] in SURNAME_READINGS:
            default = lazy_pinyin(name[0], style=Style.NORMAL, v_to_u=False)[0]
            readings = list(dict.fromkeys(SURNAME_READINGS[name[0]] + [default]))
            options = [readings]
            rest = name[1:]
    for syl in lazy_pinyin(rest, style=Style.NORMAL, errors="ignore"):
        syl = syl.lower()
        if not syl.isascii() or not syl.isalpha():
            continue
        alts = [syl]
        if "v" in syl:  # ü: people type lv or lu
            alts.append(syl.replace("v", "u"))
        options.append(alts)
    return options


@functools.lru_cache(maxsize=8192)  # an import reads many names twice (a surname's readings, 张伟 …)
def _pinyin_keys(name: str) -> frozenset[str]:
    return frozenset(_compute_pinyin_keys(name))


def pinyin_keys(name: str) -> set[str]:
    return set(_pinyin_keys(name))


def _compute_pinyin_keys(name: str) -> set[str]:
    """Full pinyin and initials for each reading: 单小明 → shanxiaoming, sxm, danxiaoming, dxm."""
    options = _syllable_options(name)
    if not options:
        return set()
    keys = set()
    for combo in itertools.islice(itertools.product(*options), 16):
        keys.add("".join(combo))
        keys.add("".join(s[0] for s in combo))
    return keys


def name_hex(text: str) -> str:
    return text.encode("utf-8").hex()


def latin_keys(name: str) -> set[str]:
    """John Smith → john, smith, johnsmith: a foreign owner is found by any of the names."""
    words = [w for w in re.split(r"[^a-z]+", name.lower()) if w]
    return set(words) | ({"".join(words)} if words else set())


def keys_for(name: str, phones: list[str]) -> set[str]:
    from models.validation import phone_digits

    keys = {"p" + k for k in pinyin_keys(name) | latin_keys(name)}
    clean = name.strip()
    if clean:
        keys.add("n" + name_hex(clean))
    for phone in phones:
        digits = phone_digits(phone or "")
        if len(digits) >= 4:
            keys.add("t" + digits[-4:])
    return keys


def query_keys(text: str) -> list[str]:
    """The key prefixes to look up for what the clerk typed."""
    q = text.strip()
    if not q:
        return []
    if q.isdigit():
        return ["t" + q] if len(q) == 4 else []
    if q.isascii() and q.replace(" ", "").isalpha():
        return ["p" + q.replace(" ", "").lower()]
    if _CJK.search(q):
        return ["n" + name_hex(q.replace(" ", ""))]
    return []
