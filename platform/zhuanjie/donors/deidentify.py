"""Checking a public text for what could identify a family: names, ID and phone numbers,
house numbers. Names, IDs and phones block publication; a house-number-like phrase is a
warning the caseworker may override once they have checked it is not a real address."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ID_NUMBER = re.compile(r"(?<![0-9])[1-9]\d{16}[0-9Xx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")
LANDLINE = re.compile(r"(?<![0-9])0\d{2,3}[-－ ]?\d{7,8}(?![0-9])")
HOUSE_NUMBER = re.compile(
    r"\d+\s*(?:组|队)\s*\d+\s*号|\d+\s*(?:号楼|号|室|栋|幢|单元|弄)"
    r"|[一二三四五六七八九十百零〇]+(?:组|队)[一二三四五六七八九十百零〇]+号"
)


@dataclass
class Findings:
    blocking: list[str] = field(default_factory=list)  # refused whatever the caseworker says
    house_numbers: list[str] = field(default_factory=list)  # overridable warnings

    def message(self, *, allow_house_numbers: bool) -> str | None:
        """The Chinese message for the field, or None when the text may be published."""
        if self.blocking:
            return "含有可识别身份的信息，不能发布：" + "、".join(self.blocking)
        if self.house_numbers and not allow_house_numbers:
            return (
                "疑似门牌号或详细地址：" + "、".join(self.house_numbers)
                + "。请删去；如确认不是住址，请勾选“已核对，不含详细住址”"
            )
        return None


def check_text(text: str, *, names: list[str], addresses: list[str] = ()) -> Findings:
    """What in `text` looks identifying, given the household's real names and addresses."""
    found = Findings()
    for name in dict.fromkeys(n.strip() for n in names if n and len(n.strip()) >= 2):
        if name in text:
            found.blocking.append(f"家庭成员姓名“{name}”")
    for address in addresses:
        if address and len(address) >= 4 and address in text:
            found.blocking.append("家庭住址")
    found.blocking += [f"身份证号“{m}”" for m in ID_NUMBER.findall(text)]
    without_ids = ID_NUMBER.sub(" ", text)
    found.blocking += [f"电话号码“{m}”" for m in MOBILE.findall(without_ids)]
    found.blocking += [f"电话号码“{m}”" for m in LANDLINE.findall(MOBILE.sub(" ", without_ids))]
    found.house_numbers = list(dict.fromkeys(m.group(0) for m in HOUSE_NUMBER.finditer(text)))
    return found
