"""Fixed content of the jobs demo: people's names, the open round's posts and their texts."""

from dataclasses import dataclass, field

SURNAMES = "陈李黄张梁林刘吴罗何郑杨曾钟谢郭邓冯叶蔡许赖彭卢潘朱温邱胡周古侯廖丘"
GIVEN_NAMES = [
    "思源", "嘉豪", "晓琳", "俊杰", "婉婷", "志明", "雪梅", "浩然", "子轩", "美玲",
    "锦辉", "海燕", "文杰", "嘉欣", "振华", "丽娟", "伟强", "思敏", "家乐", "雅琪",
    "宇航", "梓涵", "晨曦", "泽楷", "诗韵", "明", "倩", "磊", "婷", "杰",
]  # fmt: skip

# Posts of the open 梅县区 round: (township name, headcount, requirements). The village is the
# township's first village committee (村委会) by code; requirements are Post fields, majors as
# major classes of the national catalogue (0809 computer science, 0901 agronomy, …).
PostSpec = dict


@dataclass(frozen=True)
class OpenPost:
    township: str
    headcount: int = 1
    min_education: str = "junior_college"
    full_time_required: bool = True
    major_classes: tuple[str, ...] = ()
    max_age_by_level: dict = field(default_factory=dict)
    hometown_restriction: str = "none"
    dialects: tuple[str, ...] = ()
    subsidy_yuan: int = 3800
    description: str = ""


OPEN_POSTS = [
    OpenPost("程江镇", dialects=("hakka",), subsidy_yuan=4000,
             description="负责村公共服务站日常窗口服务，代办社保、医保、民政等事项，协助村“两委”开展数字化治理。"),
    OpenPost("城东镇", min_education="bachelor", major_classes=("0809",), subsidy_yuan=4200,
             description="负责村级政务服务终端、网格化管理平台的日常运维，指导村民使用“粤省事”等政务应用。"),
    OpenPost("梅西镇", hometown_restriction="same_county", dialects=("hakka",),
             description="熟悉梅县区乡情民情，能用客家话与群众沟通，负责代办事项受理与回访。"),
    OpenPost("丙村镇", major_classes=("0901", "1203"), subsidy_yuan=3800,
             description="协助开展农业技术推广、农村电商与特色农产品（金柚、茶叶）销售服务。"),
    OpenPost("雁洋镇", max_age_by_level={"junior_college": 28, "bachelor": 30, "master": 35},
             subsidy_yuan=3900,
             description="雁南飞茶田景区所在村，负责旅游政务服务点与村务公开信息维护。"),
    OpenPost("松口镇", min_education="bachelor", major_classes=("1204", "0302"), subsidy_yuan=4100,
             description="协助村委会处理行政事务、村务档案数字化与公共服务事项统计。"),
    OpenPost("南口镇", hometown_restriction="same_city",
             description="负责代办服务与政策宣传，联系服务留守老人、儿童等重点群体。"),
    OpenPost("白渡镇", full_time_required=False, subsidy_yuan=3600,
             description="负责公共服务站窗口服务，可接受非全日制学历。"),
    OpenPost("松源镇", headcount=2, dialects=("hakka",), subsidy_yuan=3800,
             description="服务粤闽交界片区，两名操作员轮班，保障服务站每日开放。"),
    OpenPost("石扇镇", min_education="master", major_classes=("0303",), subsidy_yuan=4800,
             description="牵头开展社会工作服务项目，链接社会组织与志愿服务资源。"),
    OpenPost("畲江镇", major_classes=("1208",), subsidy_yuan=4000,
             description="协助发展农村电商，组织直播带货培训，对接物流与供销服务。"),
    OpenPost("水车镇", hometown_restriction="same_county", dialects=("hakka",),
             max_age_by_level={"junior_college": 30, "bachelor": 32, "master": 35},
             description="熟悉本地情况，负责代办事项受理、矛盾纠纷排查登记与信息上报。"),
]  # fmt: skip

# The demo graduate ranks these posts (indexes into OPEN_POSTS): all three fit the profile.
DEMO_GRADUATE_CHOICES = (1, 2, 0)

ROUND_OBJECTION_CONTACT = (
    "梅县区人力资源和社会保障局 0753-2182345（工作日 8:30–12:00，14:30–17:30）"
)
TIANHE_OBJECTION_CONTACT = (
    "天河区人力资源和社会保障局 020-38622345（工作日 9:00–12:00，14:00–17:30）"
)

NOTICE_INTRO = {
    "zh-hans": "<p>根据招聘公告，经资格审查、笔试、面试和志愿匹配，现将拟聘用人员名单予以公示。"
    "公示期内如有异议，请以书面或电话方式向下列联系人反映，反映情况应实事求是。</p>",
    "en": "<p>After the eligibility review, the written exam, the interview and the matching of "
    "preferences, the people to be hired are listed below. Objections may be raised with the "
    "contact below, in writing or by telephone, until the notice ends.</p>",
}
