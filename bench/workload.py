"""Synthetic needs and offers for the matching benchmark (the project's own generator).

Records follow the exchange format (shared spec matching-io.md). Distributions are chosen to
resemble a city-wide run in Nantong: needs mostly at township level, weighted towards medical
and basic-living categories; offers ~10% city-wide, ~45% county, ~45% township, with group,
age and income restrictions, some full, expired or not yet open. Deterministic for a seed;
standard library only.

    python bench/workload.py --needs 100000 --offers 10000 --seed 7 --out /tmp/wl-own
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random

COUNTIES = {
    "崇川区": "和平桥街道 城东街道 任港街道 新城桥街道 虹桥街道 学田街道 钟秀街道 文峰街道 "
           "观音山街道 狼山镇街道 唐闸镇街道 秦灶街道",
    "通州区": "金沙街道 兴东街道 先锋街道 西亭镇 二甲镇 东社镇 三余镇 十总镇 石港镇 刘桥镇 "
           "平潮镇 兴仁镇",
    "海门区": "海门街道 三厂街道 常乐镇 悦来镇 四甲镇 余东镇 正余镇 海永镇 三星镇",
    "如东县": "掘港街道 城中街道 栟茶镇 洋口镇 长沙镇 大豫镇 马塘镇 丰利镇 曹埠镇 岔河镇 "
           "双甸镇 袁庄镇",
    "启东市": "汇龙镇 北新镇 惠萍镇 东海镇 南阳镇 海复镇 合作镇 王鲍镇 吕四港镇",
    "如皋市": "如城街道 白蒲镇 东陈镇 丁堰镇 下原镇 九华镇 石庄镇 长江镇 吴窑镇 江安镇 "
           "搬经镇 磨头镇",
    "海安市": "城东镇 曲塘镇 李堡镇 角斜镇 大公镇 雅周镇 白甸镇 南莫镇 墩头镇",
}
CITY = "南通市"
NEED_MIX = {"basic_living": 20, "medical": 25, "education": 12, "housing": 6, "employment": 7,
            "emergency": 10, "care": 8, "rehabilitation": 4, "psychological": 2, "legal": 3,
            "insurance": 3}
OFFER_MIX = {"basic_living": 14, "medical": 18, "education": 14, "housing": 6, "employment": 9,
             "emergency": 10, "care": 11, "rehabilitation": 6, "psychological": 4, "legal": 4,
             "insurance": 4}
NEAR = {"basic_living": "emergency care", "medical": "emergency insurance rehabilitation",
        "education": "basic_living psychological", "housing": "emergency basic_living",
        "employment": "education basic_living", "emergency": "basic_living medical housing",
        "care": "rehabilitation psychological", "rehabilitation": "medical care",
        "psychological": "care legal", "legal": "employment psychological",
        "insurance": "medical emergency"}
GROUPS_BY_CAT = {
    "basic_living": "dibao dibao tekun low_income jiandang", "medical":
    "serious_illness serious_illness expenditure_hardship dibao low_income",
    "education": "left_behind_child dibao low_income jiandang", "housing":
    "dibao tekun low_income disaster_victim", "employment": "low_income dibao jiandang disabled",
    "emergency": "disaster_victim expenditure_hardship low_income dibao", "care":
    "left_behind_elderly tekun disabled left_behind_child", "rehabilitation": "disabled disabled",
    "psychological": "left_behind_child disaster_victim serious_illness", "legal":
    "low_income dibao disabled", "insurance": "low_income jiandang dibao",
}
# (need phrases, offer phrases) per category: different wording on the two sides on purpose
PHRASES = {
    "basic_living": ("家庭失去主要经济来源 生活十分拮据 冬季取暖和口粮都成问题 仅靠低保金维持",
                     "发放生活救助金 提供米面油等生活物资 春节慰问困难家庭 冬季送温暖"),
    "medical": ("确诊白血病正在化疗 尿毒症每周透析三次 肺癌晚期自付费用高 突发脑出血住进重症监护",
                "重特大疾病医疗救助 大病二次救助 透析患者专项救助 白血病儿童救助"),
    "education": ("孩子读高三学费无着落 考上大学学费困难 留守儿童学习跟不上 住校生活费负担重",
                  "困难家庭学生资助 爱心助学金 大学新生入学资助 课业辅导志愿服务"),
    "housing": ("老房子屋顶漏雨墙体开裂 经鉴定为D级危房 台风掀翻屋顶 租住房屋到期无处可住",
                "农村危房改造补助 受灾房屋修缮 公租房保障 租赁补贴"),
    "employment": ("企业停产后下岗在家 残疾人求职屡屡碰壁 想学一门手艺 想贷款发展养殖",
                   "免费职业技能培训 公益性岗位安置 创业担保贷款贴息 残疾人居家就业"),
    "emergency": ("家中突发火灾财物烧毁 遭遇车祸急需住院押金 主要劳动力意外身亡",
                  "急难型临时救助 先行救助事后补办手续 受灾群众紧急救助"),
    "care": ("独居老人行动不便无人照料 留守儿童放学无人看管 重度残疾需要专人护理",
             "居家养老上门助餐助洁 独居老人关爱探访 课后托管四点半课堂 重度残疾人托养照护"),
    "rehabilitation": ("脑瘫儿童需要长期康复训练 中风后偏瘫行走困难 需要轮椅和助行器",
                       "残疾儿童康复救助 辅具适配补贴 社区康复训练"),
    "psychological": ("丧偶后情绪低落整日沉默 孩子多次流露轻生念头 确诊重病后焦虑失眠",
                      "专业心理咨询疏导 困境儿童心理陪伴 哀伤辅导"),
    "legal": ("工地被拖欠工资多次讨要无果 交通事故赔偿纠纷 前夫拒付抚养费",
              "免费法律援助 农民工讨薪绿色通道 家事纠纷调解"),
    "insurance": ("家里没有任何商业保险 医保个人缴费难以承担 担心因病返贫",
                  "精准防贫保险 补充医疗保险 意外伤害保险捐赠 医保个人缴费补贴"),
}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡顾季缪"


class Workload:
    """Deterministic needs and offers for a seed (two independent random streams)."""

    def __init__(self, seed: int | str = 7, as_of: dt.date = dt.date(2018, 3, 1)) -> None:
        self.seed, self.as_of = seed, as_of
        self.towns = [(f"{CITY}/{c}", f"{CITY}/{c}/{t}") for c, ts in COUNTIES.items()
                      for t in ts.split()]
        self.counties = [f"{CITY}/{c}" for c in COUNTIES]

    @staticmethod
    def _pick(rng: random.Random, mix: dict[str, int]) -> str:
        return rng.choices(list(mix), weights=list(mix.values()))[0]

    def needs(self, n: int):
        rng = random.Random(f"bench-needs-{self.seed}")
        for i in range(n):
            cat = self._pick(rng, NEED_MIX)
            county, town = rng.choice(self.towns)
            region = county if rng.random() < 0.05 else town
            pool = GROUPS_BY_CAT[cat].split()
            groups = sorted(set(rng.sample(pool, k=rng.choice([1, 1, 2]))))
            if rng.random() < 0.15:
                groups = []
            words = PHRASES[cat][0].split()
            desc = "，".join(rng.sample(words, k=min(len(words), rng.randint(1, 3))))
            rec = {"id": f"B{i + 1:06d}", "title": rng.choice(words)[:12],
                   "description": f"{rng.choice(SURNAMES)}某，家住{region.split('/')[-1]}。{desc}。"
                                  "经村（居）委会核实，情况属实，恳请给予帮助。",
                   "category": cat, "region": region, "groups": groups}
            if rng.random() < 0.9:
                rec["beneficiary_age"] = rng.randint(3, 90)
            if rng.random() < 0.8:
                rec["income_per_capita"] = rng.randint(200, 2600)
            rec["urgency"] = 3 if rng.random() < 0.08 else (2 if rng.random() < 0.25 else 1)
            if rng.random() < 0.5:
                rec["amount_needed"] = 100 * rng.randint(10, 1500)
            rec["created_at"] = (self.as_of - dt.timedelta(days=rng.randint(0, 270))).isoformat()
            yield rec

    def offers(self, n: int):
        rng = random.Random(f"bench-offers-{self.seed}")
        for i in range(n):
            cat = self._pick(rng, OFFER_MIX)
            cats = [cat] + ([rng.choice(NEAR[cat].split())] if rng.random() < 0.35 else [])
            r = rng.random()
            county, town = rng.choice(self.towns)
            coverage = [CITY] if r < 0.1 else ([county] if r < 0.55 else [town])
            words = PHRASES[cat][1].split()
            title = rng.choice(words)
            rec = {"id": f"P{i + 1:05d}", "title": f"{coverage[0].split('/')[-1]}{title}",
                   "description": f"面向{coverage[0].split('/')[-1]}困难群众，{title}，"
                                  f"{rng.choice(words)}。名额有限，经审核后发放。",
                   "provider_type": rng.choice(["government", "ngo", "donor", "enterprise"]),
                   "provider_name": f"{coverage[0].split('/')[-1]}{rng.choice('甲乙丙丁')}机构",
                   "categories": cats, "coverage": coverage}
            if rng.random() < 0.45:
                rec["eligible_groups"] = sorted(set(rng.sample(GROUPS_BY_CAT[cat].split(), k=2)))
            if rng.random() < 0.25:
                rec["age_min"], rec["age_max"] = rng.choice(
                    [(60, 120), (0, 16), (6, 22), (16, 60)])
            if rng.random() < 0.3:
                rec["income_ceiling"] = rng.choice([700, 1050, 1400, 2100])
            c = rng.random()
            rec["capacity_remaining"] = (0 if c < 0.05 else
                                         (None if c < 0.4 else rng.randint(1, 300)))
            if rec["capacity_remaining"] is None:
                del rec["capacity_remaining"]
            if rng.random() < 0.5:
                rec["mode"] = "cash"
                rec["amount_per_beneficiary"] = 100 * rng.randint(5, 500)
            else:
                rec["mode"] = rng.choice(["in_kind", "service", "volunteer"])
            v = rng.random()
            if v < 0.05:
                until = self.as_of - dt.timedelta(days=rng.randint(1, 300))
                rec["valid_until"] = until.isoformat()
            elif v < 0.07:
                start = self.as_of + dt.timedelta(days=rng.randint(1, 100))
                rec["valid_from"] = start.isoformat()
            yield rec


def write(out: str, n_needs: int, n_offers: int, seed: int | str = 7) -> None:
    """Write ``out/needs.jsonl`` and ``out/offers.jsonl``."""
    os.makedirs(out, exist_ok=True)
    w = Workload(seed)
    for name, rows in (("needs", w.needs(n_needs)), ("offers", w.offers(n_offers))):
        with open(os.path.join(out, f"{name}.jsonl"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--needs", type=int, default=1000)
    p.add_argument("--offers", type=int, default=1000)
    p.add_argument("--seed", default="7")
    p.add_argument("--out", required=True)
    a = p.parse_args()
    write(a.out, a.needs, a.offers, a.seed)


if __name__ == "__main__":
    main()
