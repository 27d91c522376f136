"""The demo catalogue's content, in Chinese with an English translation of every text.

Written for a township official in Guangdong: short lessons, practical guidance, and only facts
that can be checked in the laws and documents they name. Checkpoints in the two languages are
matched by position: the same question, the same options in the same order, the same answers.
"""

from dataclasses import dataclass, field

from ..choices import Category, EventFormat, QuestionKind

SINGLE, MULTIPLE, TRUE_FALSE = QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.TRUE_FALSE
ZH_TF = "对\n错"
EN_TF = "True\nFalse"


def p(html: str) -> tuple[str, object]:
    """A paragraph block; `html` may hold <p>, <ul>/<ol> and <h3>."""
    return ("paragraph", html if html.startswith("<") else f"<p>{html}</p>")


def tip(title: str, html: str) -> tuple[str, object]:
    return ("callout", {"tone": "success", "title": title, "text": f"<p>{html}</p>"})


def warn(title: str, html: str) -> tuple[str, object]:
    return ("callout", {"tone": "warning", "title": title, "text": f"<p>{html}</p>"})


def check(kind: str, question: str, options: str, explanation: str) -> tuple[str, object]:
    return (
        "checkpoint",
        {"question": question, "kind": kind, "options": options, "explanation": explanation},
    )


def tf(true_is_correct: bool, lang: str) -> str:
    yes, no = (ZH_TF if lang == "zh" else EN_TF).split("\n")
    return f"*{yes}\n{no}" if true_is_correct else f"{yes}\n*{no}"


@dataclass(frozen=True)
class Text:
    title: str
    summary: str
    body: list = field(default_factory=list)  # lessons: blocks; courses: description paragraphs


@dataclass(frozen=True)
class Lesson:
    slug: str
    minutes: int
    zh: Text
    en: Text


@dataclass(frozen=True)
class Question:
    kind: str
    zh: tuple[str, str, str]  # text, options (* marks correct), explanation
    en: tuple[str, str, str]


@dataclass(frozen=True)
class Course:
    slug: str
    category: str
    hours: str
    zh: Text
    en: Text
    lessons: list[Lesson]
    questions: list[Question]
    quiz_question_count: int
    for_cadres: bool = True
    for_graduates: bool = False
    for_operators: bool = False
    prerequisites: tuple[str, ...] = ()


# --- data governance --------------------------------------------------------------------------

DATA_LAW = Course(
    slug="data-security-and-personal-information",
    category=Category.DATA_GOVERNANCE,
    hours="2.0",
    for_operators=True,
    quiz_question_count=4,
    zh=Text(
        "数据安全法与个人信息保护法要点",
        "两部法律对基层工作意味着什么：依法履职收集数据、最小必要、敏感个人信息的特别保护、数据安全责任。",
        [
            "村（社区）和乡镇每天都在收集、使用群众的个人信息。本课程用三节短课讲清两部法律中与基层工作关系最密切的规定，"
            "并给出可以马上照做的做法。"
        ],
    ),
    en=Text(
        "Essentials of the Data Security Law and the Personal Information Protection Law",
        "What the two laws mean for grassroots work: collecting data only for statutory duties, the "
        "minimum necessary, extra protection for sensitive information, and responsibility for data security.",
        [
            "Villages, communities and townships collect and use residents' personal information every day. "
            "Three short lessons explain the provisions of the two laws that matter most for grassroots work, "
            "with practices you can apply straight away."
        ],
    ),
    lessons=[
        Lesson(
            "two-laws",
            5,
            zh=Text(
                "两部法律的基本框架",
                "数据安全法管“数据”，个人信息保护法管“人的信息”。",
                [
                    p(
                        "《中华人民共和国数据安全法》自2021年9月1日起施行，《中华人民共和国个人信息保护法》自2021年11月1日起施行。"
                        "它们与2017年6月1日起施行的《网络安全法》一起，构成我国数据领域的基础性法律。"
                    ),
                    p(
                        "数据安全法所称数据，是指任何以电子或者其他方式对信息的记录，不论是否涉及个人。"
                        "它要求建立数据分类分级保护制度，并明确开展数据处理活动的单位要履行数据安全保护义务。"
                    ),
                    p(
                        "个人信息保护法所称个人信息，是以电子或者其他方式记录的与已识别或者可识别的自然人有关的各种信息，"
                        "不包括匿名化处理后的信息。群众的姓名、身份证号、电话、住址、家庭成员、健康状况，都是个人信息。"
                    ),
                    check(
                        SINGLE,
                        "《个人信息保护法》自何时起施行？",
                        "2017年6月1日\n2021年9月1日\n*2021年11月1日",
                        "个人信息保护法自2021年11月1日起施行；2021年9月1日施行的是数据安全法，2017年6月1日施行的是网络安全法。",
                    ),
                ],
            ),
            en=Text(
                "The two laws at a glance",
                "The Data Security Law covers data; the Personal Information Protection Law covers information about people.",
                [
                    p(
                        "The Data Security Law of the People's Republic of China took effect on 1 September 2021 and the "
                        "Personal Information Protection Law on 1 November 2021. With the Cybersecurity Law (in force since "
                        "1 June 2017) they are the basic laws on data in China."
                    ),
                    p(
                        "In the Data Security Law, data means any record of information in electronic or other form, "
                        "whether or not it concerns a person. The law sets up protection of data by category and level, "
                        "and makes every organisation that processes data responsible for keeping it secure."
                    ),
                    p(
                        "In the Personal Information Protection Law, personal information is any information recorded "
                        "electronically or otherwise that relates to an identified or identifiable natural person, except "
                        "anonymised information. Residents' names, ID numbers, phone numbers, addresses, family members "
                        "and health are all personal information."
                    ),
                    check(
                        SINGLE,
                        "When did the Personal Information Protection Law take effect?",
                        "1 June 2017\n1 September 2021\n*1 November 2021",
                        "The PIPL took effect on 1 November 2021. 1 September 2021 is the Data Security Law; 1 June 2017 "
                        "is the Cybersecurity Law.",
                    ),
                ],
            ),
        ),
        Lesson(
            "personal-information-at-work",
            6,
            zh=Text(
                "基层处理个人信息的规矩",
                "依法履职、最小必要、敏感信息特别保护，出了问题马上补救。",
                [
                    p(
                        "国家机关为履行法定职责处理个人信息，应当依照法律、行政法规规定的权限、程序进行，"
                        "不得超出履行法定职责所必需的范围和限度。"
                    ),
                    p(
                        "处理个人信息应当遵循合法、正当、必要和诚信原则。收集个人信息，应当限于实现处理目的的最小范围，不得过度收集。"
                    ),
                    p(
                        "敏感个人信息包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息，以及不满十四周岁未成年人的个人信息。"
                        "只有在具有特定的目的和充分的必要性，并采取严格保护措施的情形下，才能处理敏感个人信息；以个人同意为依据的，应当取得个人的单独同意。"
                    ),
                    p(
                        "<ul><li>只收办事需要的信息：办一件事需要几项就收几项，不“顺便”多登记；</li>"
                        "<li>名单、表格不在微信群、朋友圈等场合转发；需要公示的，身份证号、手机号等要作脱敏处理（如隐去中间若干位）；</li>"
                        "<li>纸质材料用完按规定归档或销毁，不当废纸处理；</li>"
                        "<li>发现个人信息泄露、篡改、丢失，立即报告本单位负责人并采取补救措施。</li></ul>"
                    ),
                    check(
                        MULTIPLE,
                        "以下哪些属于个人信息保护法规定的敏感个人信息？",
                        "*医疗健康信息\n*金融账户信息\n*不满十四周岁未成年人的个人信息\n村委会的办公电话",
                        "敏感个人信息包括生物识别、宗教信仰、特定身份、医疗健康、金融账户、行踪轨迹等信息，以及不满十四周岁未成年人的个人信息；"
                        "单位的办公电话不是个人信息。",
                    ),
                ],
            ),
            en=Text(
                "Rules for handling personal information at the grassroots",
                "Statutory duties only, the minimum necessary, extra care for sensitive information, and quick remedies.",
                [
                    p(
                        "When a state organ processes personal information to perform its statutory duties, it must follow "
                        "the powers and procedures laid down by laws and administrative regulations, and must not go beyond "
                        "what those duties require."
                    ),
                    p(
                        "Processing must be lawful, proper, necessary and in good faith. Collection is limited to the "
                        "minimum scope needed for the purpose: no excessive collection."
                    ),
                    p(
                        "Sensitive personal information includes biometrics, religious belief, specific identities, medical "
                        "health, financial accounts and whereabouts, and all personal information of minors under 14. It may "
                        "be processed only for a specific purpose with sufficient necessity and strict protection; where "
                        "consent is the basis, separate consent is needed."
                    ),
                    p(
                        "<ul><li>Collect only what the task needs; no extra details “while we are at it”.</li>"
                        "<li>Do not forward lists or forms in WeChat groups or Moments; mask ID and phone numbers in any "
                        "public notice.</li><li>File or destroy paper records as the rules require; never throw them out "
                        "as waste paper.</li><li>If personal information is leaked, altered or lost, report it to your "
                        "unit's head at once and take remedial action.</li></ul>"
                    ),
                    check(
                        MULTIPLE,
                        "Which of these are sensitive personal information under the PIPL?",
                        "*Medical and health information\n*Financial account information\n"
                        "*Personal information of a child under 14\nThe village committee's office phone number",
                        "Sensitive personal information includes biometrics, religious belief, specific identities, "
                        "medical health, financial accounts and whereabouts, and information on minors under 14. An "
                        "office phone number is not personal information.",
                    ),
                ],
            ),
        ),
        Lesson(
            "data-security-duties",
            5,
            zh=Text(
                "数据安全责任与分类分级",
                "数据要分类分级保护，履职中知悉的信息要依法保密。",
                [
                    p(
                        "数据安全法要求建立数据分类分级保护制度：根据数据在经济社会发展中的重要程度，"
                        "以及一旦遭到篡改、破坏、泄露或者非法获取、非法利用时造成的危害程度，对数据实行分类分级保护。"
                    ),
                    p(
                        "国家机关为履行法定职责的需要收集、使用数据，应当在其履行法定职责的范围内依照法律、行政法规规定的条件和程序进行；"
                        "对在履行职责中知悉的个人隐私、个人信息、商业秘密、保密商务信息等数据应当依法予以保密，不得泄露或者非法向他人提供。"
                    ),
                    p(
                        "<ul><li>账号专人专用，不共用密码；人员离岗时及时注销或交接账号；</li>"
                        "<li>不把工作数据存到个人网盘，不在私人电脑上处理敏感数据；</li>"
                        "<li>对外提供数据要有依据、有审批、有记录；</li>"
                        "<li>按单位规定使用U盘等移动存储介质，用后及时清除。</li></ul>"
                    ),
                    check(
                        TRUE_FALSE,
                        "为了方便入户走访，可以把含有群众身份证号和电话的花名册发到村民微信群里。",
                        tf(False, "zh"),
                        "这会让无关人员获取群众个人信息，违反最小必要原则，也可能造成泄露。只发给需要的工作人员，并对身份证号、电话作脱敏处理。",
                    ),
                ],
            ),
            en=Text(
                "Data security duties, by category and level",
                "Protect data by category and level; keep confidential what you learn on duty.",
                [
                    p(
                        "The Data Security Law sets up protection by category and level, according to how important data "
                        "is to the economy and society and how much harm its alteration, destruction, leakage or illegal "
                        "use would cause."
                    ),
                    p(
                        "State organs collect and use data only within their statutory duties and under the conditions and "
                        "procedures of laws and regulations. Privacy, personal information and trade secrets learned on duty "
                        "must be kept confidential and never leaked or illegally given to others."
                    ),
                    p(
                        "<ul><li>One account per person; no shared passwords; close or hand over accounts when staff leave."
                        "</li><li>No work data on personal cloud drives or private computers.</li><li>Data given to others "
                        "needs a basis, an approval and a record.</li><li>Use USB drives only as your unit allows, and wipe "
                        "them after use.</li></ul>"
                    ),
                    check(
                        TRUE_FALSE,
                        "To make home visits easier, you may post a roster with residents' ID numbers and phone numbers "
                        "in the village WeChat group.",
                        tf(False, "en"),
                        "That shows residents' personal information to people who do not need it, breaks the minimum-"
                        "necessary principle and risks a leak. Send it only to the staff who need it, with the numbers masked.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            SINGLE,
            zh=(
                "《数据安全法》自何时起施行？",
                "2017年6月1日\n*2021年9月1日\n2021年11月1日",
                "数据安全法自2021年9月1日起施行。",
            ),
            en=(
                "When did the Data Security Law take effect?",
                "1 June 2017\n*1 September 2021\n1 November 2021",
                "The Data Security Law took effect on 1 September 2021.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "收集个人信息的范围应当如何确定？",
                "*限于实现处理目的的最小范围\n尽量多收集，以备日后使用\n由经办人自行决定",
                "个人信息保护法规定，收集个人信息应当限于实现处理目的的最小范围，不得过度收集。",
            ),
            en=(
                "How much personal information may be collected?",
                "*The minimum needed for the purpose\nAs much as possible, in case it is useful later\n"
                "Whatever the officer handling the case decides",
                "The PIPL limits collection to the minimum scope needed for the purpose.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "以下哪些属于敏感个人信息？",
                "*行踪轨迹\n*人脸、指纹等生物识别信息\n*宗教信仰\n已经公开的单位名称",
                "行踪轨迹、生物识别、宗教信仰都属于敏感个人信息；单位名称不是个人信息。",
            ),
            en=(
                "Which of these are sensitive personal information?",
                "*Whereabouts\n*Biometrics such as face or fingerprints\n*Religious belief\n"
                "The published name of an organisation",
                "Whereabouts, biometrics and religious belief are sensitive personal information; an "
                "organisation's name is not personal information.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "国家机关为履行法定职责处理个人信息，不得超出履行法定职责所必需的范围和限度。",
                tf(True, "zh"),
                "这是个人信息保护法对国家机关处理个人信息的要求。",
            ),
            en=(
                "A state organ processing personal information for its statutory duties must not go beyond what "
                "those duties require.",
                tf(True, "en"),
                "This is what the PIPL requires of state organs.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "发现本单位保管的群众个人信息可能已经泄露，首先应当：",
                "*立即报告并采取补救措施\n等确认造成损失后再处理\n删除相关记录以免被追责",
                "发生或者可能发生个人信息泄露时，应当立即采取补救措施并按规定报告、通知。",
            ),
            en=(
                "You find that residents' personal information held by your unit may have leaked. What first?",
                "*Report it at once and take remedial action\nWait until the damage is confirmed\n"
                "Delete the records so nobody is blamed",
                "When a leak happens or may happen, remedial action is taken at once and the leak is reported "
                "and notified as required.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "匿名化处理后的信息仍属于个人信息保护法所称的个人信息。",
                tf(False, "zh"),
                "个人信息保护法所称个人信息不包括匿名化处理后的信息。",
            ),
            en=(
                "Anonymised information is still personal information under the PIPL.",
                tf(False, "en"),
                "The PIPL's definition of personal information excludes anonymised information.",
            ),
        ),
    ],
)

ONE_SOURCE = Course(
    slug="one-source-data",
    category=Category.DATA_GOVERNANCE,
    hours="1.5",
    quiz_question_count=3,
    prerequisites=(DATA_LAW.slug,),
    zh=Text(
        "政务数据“一数一源”与基层减负",
        "同一项数据只由一个部门负责采集和维护，其他部门共享复用；不让基层重复填报，不以“留痕”代替实绩。",
        ["先修课程：数据安全法与个人信息保护法要点。"],
    ),
    en=Text(
        "One source for each item of data: government data and a lighter load for the grassroots",
        "Each item of data is collected and kept by one department and shared with the others: no repeated "
        "forms for the grassroots, and no paper trails in place of results.",
        [
            "Take “Essentials of the Data Security Law and the Personal Information Protection Law” first."
        ],
    ),
    lessons=[
        Lesson(
            "one-source",
            4,
            zh=Text(
                "什么是“一数一源”",
                "数据在源头采集、在源头更正，各部门共享同一份数据。",
                [
                    p(
                        "“一数一源”是指每一项政务数据都明确一个权威来源部门，由它负责采集、更新和校核；"
                        "其他部门需要时通过政务数据共享渠道获取，而不是各自再采集一遍，也就是“一源多用”。"
                    ),
                    p(
                        "对基层的好处很直接：已经在有关部门系统里的人口、社保、救助等数据，不应再让村（社区）干部逐户登记、层层报送。"
                        "发现数据有误，应当反馈给源头部门更正，而不是在自己的台账里另改一份——否则数据越改越多、越改越乱。"
                    ),
                    tip(
                        "三个问题",
                        "遇到要求报送已有数据的表格，先问：这项数据的源头部门是谁？能否通过共享直接获取？报送后由谁维护更新？",
                    ),
                    check(
                        SINGLE,
                        "发现共享数据中某户的信息有误，正确的做法是：",
                        "在本村台账里改正即可\n*反馈给数据源头部门更正\n重新组织全村入户登记",
                        "数据应在源头更正，各部门共享的才是同一份正确的数据。",
                    ),
                ],
            ),
            en=Text(
                "What “one source for each item of data” means",
                "Collect data at its source, correct it at its source, and share the one copy.",
                [
                    p(
                        "Each item of government data has one authoritative source department that collects, updates "
                        "and checks it. Other departments obtain it through data-sharing channels instead of collecting "
                        "it again: one source, many uses."
                    ),
                    p(
                        "For the grassroots the benefit is direct: population, social-security and assistance data "
                        "already held by a department should not be collected again door to door. Errors go back to the "
                        "source department for correction, not into another copy in a village ledger."
                    ),
                    tip(
                        "Three questions",
                        "When a form asks for data that already exists, ask: which department is its source? Can it be "
                        "obtained by sharing? Who keeps it up to date afterwards?",
                    ),
                    check(
                        SINGLE,
                        "You find an error in a household's record in shared data. What is the right thing to do?",
                        "Correct it in the village ledger\n*Report it to the source department for correction\n"
                        "Register every household in the village again",
                        "Data is corrected at its source, so that every department shares the same correct record.",
                    ),
                ],
            ),
        ),
        Lesson(
            "beyond-paper-trails",
            4,
            zh=Text(
                "减负不减责：告别“痕迹主义”",
                "看实效，不看照片和台账的厚度。",
                [
                    p(
                        "痕迹主义是形式主义的一种表现：把拍照、签到、台账、工作群打卡当成工作本身，重“留痕”、轻实效。"
                        "整治形式主义、为基层减负，就是要求不以留痕多少评判工作好坏。"
                    ),
                    p(
                        "数字化工具用得好可以减负，用得不好反而成为新负担：多个政务App重复打卡、同一数据多头填报、要求在工作群里“接龙”回复。"
                    ),
                    p(
                        "<ul><li>能由系统自动生成的统计，不再手工填报；</li>"
                        "<li>能在一个平台办的，不要求在多个App重复录入；</li>"
                        "<li>检查考核看结果和群众评价，不看照片数量和台账厚度；</li>"
                        "<li>本平台的学时以系统记录的学习过程和考核结果为准，不需要截图或拍照打卡。</li></ul>"
                    ),
                    check(
                        TRUE_FALSE,
                        "本平台的学时以学习过程和考核结果为准，不需要学员截图或拍照证明。",
                        tf(True, "zh"),
                        "学时由系统根据实际学习过程和考核结果记录，不需要任何“留痕”材料。",
                    ),
                ],
            ),
            en=Text(
                "Lighter load, same responsibility: no more paper trails",
                "Judge results, not the number of photos or the thickness of ledgers.",
                [
                    p(
                        "Valuing traces over results is a form of formalism: taking photos, signing in, keeping ledgers and "
                        "checking in on work groups become the work itself. Reducing the burden on the grassroots means "
                        "not judging work by how many traces it leaves."
                    ),
                    p(
                        "Used well, digital tools lighten the load; used badly they add to it: check-ins on several apps, "
                        "the same data reported to several offices, chains of replies in work groups."
                    ),
                    p(
                        "<ul><li>Figures a system can produce are not filled in by hand.</li><li>What can be done on one "
                        "platform is not entered again in other apps.</li><li>Inspections look at results and residents' "
                        "views, not photos and ledgers.</li><li>On this platform, learning hours come from the learning "
                        "the system saw and the assessments passed: no screenshots, no photos.</li></ul>"
                    ),
                    check(
                        TRUE_FALSE,
                        "On this platform, learning hours come from the learning itself and the assessment; no "
                        "screenshots or photos are needed.",
                        tf(True, "en"),
                        "The system records hours from the learning it observed and the assessments passed.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            SINGLE,
            zh=(
                "“一数一源”的核心是：",
                "*每项数据明确一个权威来源部门负责采集和维护\n每个部门各建一套数据\n数据全部由村（社区）采集",
                "一项数据一个源头，其他部门共享复用。",
            ),
            en=(
                "What is at the heart of “one source for each item of data”?",
                "*Each item has one authoritative department that collects and maintains it\n"
                "Each department keeps its own copy\nVillages and communities collect all data",
                "One source for each item; other departments share and reuse it.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "已由有关部门系统采集的数据，应优先通过共享获取，而不是要求基层重复填报。",
                tf(True, "zh"),
                "这正是“一源多用”、为基层减负的要求。",
            ),
            en=(
                "Data already held in a department's system should be obtained by sharing rather than reported "
                "again by the grassroots.",
                tf(True, "en"),
                "That is “one source, many uses”, and it lightens the grassroots' load.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "下列哪些做法有助于为基层减负？",
                "*统计报表尽量由系统自动生成\n*同一事项只在一个平台录入\n要求每项工作都拍照留痕\n要求每天在工作群里接龙签到",
                "拍照留痕、接龙签到恰恰是要减掉的负担。",
            ),
            en=(
                "Which of these lighten the load on the grassroots?",
                "*Reports produced by the system wherever possible\n*Each matter entered on one platform only\n"
                "Photos of every piece of work\nA daily sign-in chain in the work group",
                "Photo trails and sign-in chains are exactly the burdens to remove.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "发现共享数据有误，应当：",
                "*反馈源头部门更正\n各部门各自修改\n不予理会",
                "在源头更正，所有共享方才会同时得到正确数据。",
            ),
            en=(
                "You find an error in shared data. You should:",
                "*Ask the source department to correct it\nLet each department correct its own copy\nIgnore it",
                "Correcting at the source fixes the data for everyone who shares it.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "“痕迹主义”是指重工作留痕、轻实际成效的形式主义表现。",
                tf(True, "zh"),
                "痕迹主义把留痕当成工作本身，是形式主义的表现。",
            ),
            en=(
                "Valuing paper trails over real results is a form of formalism.",
                tf(True, "en"),
                "Treating traces as the work itself is formalism.",
            ),
        ),
    ],
)

# --- cybersecurity and privacy ----------------------------------------------------------------

PHISHING = Course(
    slug="phishing-and-fraud",
    category=Category.CYBERSECURITY,
    hours="1.0",
    for_graduates=True,
    for_operators=True,
    quiz_question_count=3,
    zh=Text(
        "识别网络钓鱼与电信网络诈骗",
        "看懂钓鱼邮件短信、假冒通知和“安全账户”骗局，守住工作账号，也帮群众守住钱袋子。",
        ["适合所有干部、操作员和毕业生。两节课，约十分钟。"],
    ),
    en=Text(
        "Spotting phishing and telecom fraud",
        "Recognise phishing e-mails and texts, fake notices and “safe account” scams: protect your work "
        "accounts and help residents protect their savings.",
        ["For all cadres, operators and graduates. Two lessons, about ten minutes."],
    ),
    lessons=[
        Lesson(
            "phishing-signs",
            4,
            zh=Text(
                "钓鱼邮件和短信的常见套路",
                "冒充上级、制造紧迫感、诱导点链接和输密码。",
                [
                    p(
                        "网络钓鱼就是冒充可信的人或单位，诱骗你点击链接、下载附件、输入账号密码或验证码。"
                        "针对机关干部的钓鱼常冒充上级通知、补贴发放、“系统升级”等，利用的是紧迫感和对上级的信任。"
                    ),
                    p(
                        "<ul><li>看发件人：邮箱域名或号码是否与官方一致，仿冒域名往往只差一个字母；</li>"
                        "<li>看内容：是否催你“马上”处理，是否以问责相威胁或以补贴相诱惑；</li>"
                        "<li>看链接：不认识的网址不点，也不要在打开的页面里输入账号密码；</li>"
                        "<li>看附件：来历不明的压缩包、可执行文件和要求“启用宏”的文档不打开。</li></ul>"
                    ),
                    p(
                        "拿不准时，用通讯录里已有的电话或当面向对方核实，而不是回复这封邮件或拨打邮件里留的号码。"
                    ),
                    check(
                        SINGLE,
                        "收到“上级”邮件，要求今天下班前点击链接登录“新版办公系统”，最稳妥的做法是：",
                        "马上点击链接登录\n转发到工作群提醒大家\n*通过已知的官方电话向发件单位核实",
                        "不点陌生链接，用自己已知的联系方式核实。转发到群里只会让更多人上当。",
                    ),
                ],
            ),
            en=Text(
                "How phishing e-mails and texts work",
                "They pose as your superiors, rush you, and lure you into clicking links and typing passwords.",
                [
                    p(
                        "Phishing means posing as a trusted person or organisation to trick you into clicking a link, "
                        "opening an attachment or typing an account password or verification code. Messages aimed at "
                        "officials often pose as notices from above, subsidy payments or “system upgrades”, and play on "
                        "urgency and trust in superiors."
                    ),
                    p(
                        "<ul><li>Sender: does the address or number match the official one? Fake domains often differ "
                        "by a single letter.</li><li>Content: are you rushed, threatened or tempted?</li><li>Links: do not "
                        "open addresses you do not know, and never type a password into a page a message opened.</li>"
                        "<li>Attachments: no unknown archives, programs, or documents asking you to “enable macros”.</li></ul>"
                    ),
                    p(
                        "When in doubt, check with the sender by a phone number you already have, or in person; not by "
                        "replying or calling a number in the message."
                    ),
                    check(
                        SINGLE,
                        "An e-mail “from above” tells you to log in to a “new office system” by a link before the end "
                        "of today. What is the safest thing to do?",
                        "Click the link and log in at once\nForward it to the work group as a reminder\n"
                        "*Check with the sending office by an official number you already know",
                        "Do not open unknown links; check by contact details you already have. Forwarding it only "
                        "exposes more people.",
                    ),
                ],
            ),
        ),
        Lesson(
            "accounts-and-residents",
            4,
            zh=Text(
                "守住账号，帮群众防骗",
                "验证码不给任何人；“安全账户”都是骗局。",
                [
                    p(
                        "验证码就是“钥匙”：任何人以任何理由索要短信验证码，都不要给。工作账号能开启双因素认证的就开启；"
                        "密码不与私人账号混用，不写在便签上贴在电脑旁。"
                    ),
                    p(
                        "群众常遇到的骗局包括：冒充公检法要求把钱转到“安全账户”、刷单返利、冒充客服退款、虚假投资理财、冒充熟人借钱。"
                        "要反复提醒：公检法机关不会通过电话要求转账到所谓“安全账户”。"
                    ),
                    p(
                        "全国反诈预警劝阻专线是96110，接到这个号码的来电要及时接听；遇到疑似诈骗可拨打110报警。"
                        "可以帮助群众在手机上安装“国家反诈中心”App。"
                    ),
                    warn(
                        "已经点了可疑链接怎么办",
                        "立即修改密码，断开网络，并报告本单位信息化负责人。不要因为怕麻烦而隐瞒，越早处理损失越小。",
                    ),
                    check(
                        TRUE_FALSE,
                        "公安机关办案时，可能会通过电话要求群众把钱转入“安全账户”。",
                        tf(False, "zh"),
                        "公检法机关不会通过电话要求转账到“安全账户”，凡是这样要求的都是诈骗。",
                    ),
                ],
            ),
            en=Text(
                "Protect your accounts, help residents avoid scams",
                "Never give out a verification code; every “safe account” is a scam.",
                [
                    p(
                        "A verification code is a key: never give it to anyone, for any reason. Turn on two-factor "
                        "authentication for work accounts where you can; do not reuse private passwords or stick them "
                        "next to the screen."
                    ),
                    p(
                        "Common scams on residents: callers posing as police, prosecutors or courts who want money moved "
                        "to a “safe account”; paid fake orders; fake customer-service refunds; fake investments; "
                        "impostors posing as friends. Remind people again and again: the police, prosecutors and courts "
                        "never ask anyone by phone to transfer money to a “safe account”."
                    ),
                    p(
                        "96110 is the national anti-fraud warning line: answer its calls. Report suspected fraud on 110. "
                        "Help residents install the National Anti-Fraud Centre app."
                    ),
                    warn(
                        "Clicked a suspicious link?",
                        "Change your password at once, disconnect from the network and tell your unit's IT contact. "
                        "Do not hide it: the sooner it is dealt with, the less the damage.",
                    ),
                    check(
                        TRUE_FALSE,
                        "The police may phone residents and ask them to move money into a “safe account”.",
                        tf(False, "en"),
                        "The police, prosecutors and courts never do this. Any such call is a scam.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            SINGLE,
            zh=(
                "有人自称银行客服，要你提供刚收到的短信验证码，应该：",
                "提供给对方\n*拒绝，并通过官方渠道核实\n先提供一半",
                "验证码不给任何人。需要核实时，自己拨打银行官方电话。",
            ),
            en=(
                "Someone says they are from your bank and asks for the code you just received by text. You:",
                "Give it to them\n*Refuse, and check through the bank's official channel\nGive them half of it",
                "Never give out a code. To check, call the bank's official number yourself.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "钓鱼邮件的常见特征有：",
                "*催促立即处理\n*发件地址与官方域名相似但不一致\n*要求打开附件并“启用宏”\n同事当面告诉你的工作安排",
                "紧迫感、仿冒地址和可疑附件都是钓鱼的典型特征。",
            ),
            en=(
                "Typical signs of a phishing e-mail are:",
                "*Pressure to act immediately\n*A sender address close to, but not the same as, the official domain\n"
                "*An attachment that asks you to enable macros\nA task a colleague gave you in person",
                "Urgency, look-alike addresses and suspicious attachments are classic signs.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "公检法机关不会通过电话要求转账到“安全账户”。",
                tf(True, "zh"),
                "凡是要求转账到“安全账户”的都是诈骗。",
            ),
            en=(
                "The police, prosecutors and courts never ask by phone for money to be moved to a “safe account”.",
                tf(True, "en"),
                "Any request to move money to a “safe account” is fraud.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "误点钓鱼链接并输入了工作账号密码后，首先应当：",
                "*立即修改密码并报告信息化负责人\n等等看有没有异常\n删除邮件就好",
                "越早修改密码、报告处理，损失越小。",
            ),
            en=(
                "You typed your work password into a phishing page. What first?",
                "*Change the password at once and tell your IT contact\nWait and see whether anything happens\n"
                "Just delete the e-mail",
                "The sooner the password is changed and the incident reported, the smaller the damage.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "全国反诈预警劝阻专线的号码是：",
                "12345\n*96110\n12315",
                "96110是反诈预警劝阻专线；12345是政务服务便民热线；12315是市场监管投诉举报热线。",
            ),
            en=(
                "What is the number of the national anti-fraud warning line?",
                "12345\n*96110\n12315",
                "96110 is the anti-fraud warning line; 12345 is the government service hotline; 12315 is the "
                "market-regulation complaints line.",
            ),
        ),
    ],
)

MLPS = Course(
    slug="multi-level-protection",
    category=Category.CYBERSECURITY,
    hours="2.0",
    quiz_question_count=3,
    zh=Text(
        "网络安全等级保护基础",
        "等级保护是什么，乡镇自建或采购的系统为什么也要落实安全责任，日常运维最容易出问题的环节有哪些。",
        ["面向分管信息化工作的乡镇（街道）干部。"],
    ),
    en=Text(
        "Basics of the Multi-Level Protection Scheme",
        "What the scheme is, why systems a township builds or buys need a security owner too, and where "
        "day-to-day operation most often goes wrong.",
        ["For township and sub-district officials in charge of IT."],
    ),
    lessons=[
        Lesson(
            "what-is-mlps",
            5,
            zh=Text(
                "等级保护是什么",
                "五个等级，五个环节。",
                [
                    p(
                        "《网络安全法》规定，国家实行网络安全等级保护制度。网络运营者应当按照网络安全等级保护制度的要求，"
                        "履行安全保护义务，保障网络免受干扰、破坏或者未经授权的访问，防止网络数据泄露或者被窃取、篡改。"
                    ),
                    p(
                        "等级保护对象根据其重要程度和遭到破坏后的危害程度，由低到高分为五个安全保护等级，第五级要求最高。"
                    ),
                    p(
                        "工作一般包括五个环节：定级、备案、建设整改、等级测评、监督检查。第二级以上的系统应当到公安机关办理备案。"
                    ),
                    check(
                        SINGLE,
                        "网络安全等级保护共分为几个安全保护等级？",
                        "三个\n四个\n*五个",
                        "等级保护由低到高分为五个安全保护等级。",
                    ),
                ],
            ),
            en=Text(
                "What the scheme is",
                "Five levels, five steps.",
                [
                    p(
                        "The Cybersecurity Law establishes the Multi-Level Protection Scheme. Network operators must meet "
                        "its requirements, protecting networks from interference, damage and unauthorised access, and "
                        "data from leakage, theft and alteration."
                    ),
                    p(
                        "Systems are placed at one of five security protection levels, from low to high, according to "
                        "their importance and the harm their compromise would cause. Level five is the strictest."
                    ),
                    p(
                        "The work has five steps: grading, filing, building and remediation, level assessment, and "
                        "supervision. Systems at level two or above are filed with the public security authorities."
                    ),
                    check(
                        SINGLE,
                        "How many security protection levels does the scheme have?",
                        "Three\nFour\n*Five",
                        "The scheme has five levels, from low to high.",
                    ),
                ],
            ),
        ),
        Lesson(
            "everyday-risks",
            5,
            zh=Text(
                "基层系统的常见风险与日常做法",
                "默认口令、不打补丁、后台外露、账号不注销、没有备份。",
                [
                    p(
                        "乡镇（街道）自建或采购的小程序、网站、视频监控、便民服务系统都属于网络，同样要落实安全责任。"
                        "常见问题包括：默认口令未修改、系统长期不打补丁、管理后台直接暴露在互联网上、外包运维人员离场后账号未注销、数据没有备份。"
                    ),
                    p(
                        "<ul><li>新系统上线前明确定级和安全要求，合同中写明运维与安全责任；</li>"
                        "<li>修改所有默认口令，关闭不用的端口和服务；</li>"
                        "<li>定期备份，并实际做一次恢复演练；</li>"
                        "<li>发生安全事件按规定及时报告，不瞒报、不迟报。</li></ul>"
                    ),
                    check(
                        TRUE_FALSE,
                        "系统由外包公司建设和运维的，使用单位就不再承担网络安全责任。",
                        tf(False, "zh"),
                        "外包不转移责任。使用和运营系统的单位仍是责任主体，应在合同中明确双方的安全义务。",
                    ),
                ],
            ),
            en=Text(
                "Common risks in local systems, and everyday practice",
                "Default passwords, missing patches, exposed admin pages, forgotten accounts, no backups.",
                [
                    p(
                        "Mini-programs, websites, video surveillance and service systems that a township builds or buys "
                        "are networks too and need a security owner. Typical problems: default passwords never changed, "
                        "no patches for years, admin pages open to the internet, contractors' accounts left active after "
                        "they leave, no backups."
                    ),
                    p(
                        "<ul><li>Before go-live, decide the level and security requirements, and put operation and "
                        "security duties in the contract.</li><li>Change every default password; close unused ports and "
                        "services.</li><li>Back up regularly, and rehearse a restore.</li><li>Report security incidents "
                        "promptly, as the rules require.</li></ul>"
                    ),
                    check(
                        TRUE_FALSE,
                        "If a contractor built and runs a system, the unit using it is no longer responsible for its "
                        "security.",
                        tf(False, "en"),
                        "Outsourcing does not transfer responsibility. The unit that uses and runs the system remains "
                        "responsible; the contract sets out both sides' security duties.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            SINGLE,
            zh=(
                "我国网络安全等级保护制度由哪部法律规定？",
                "*《网络安全法》\n《电子商务法》\n《广告法》",
                "网络安全法规定国家实行网络安全等级保护制度。",
            ),
            en=(
                "Which law establishes the Multi-Level Protection Scheme?",
                "*The Cybersecurity Law\nThe E-Commerce Law\nThe Advertising Law",
                "The Cybersecurity Law establishes the scheme.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "等级保护工作的一般流程是：",
                "*定级、备案、建设整改、等级测评、监督检查\n采购、安装、验收\n登记、公示、归档",
                "这五个环节构成等级保护工作的基本流程。",
            ),
            en=(
                "What are the usual steps of the scheme?",
                "*Grading, filing, building and remediation, level assessment, supervision\n"
                "Purchase, installation, acceptance\nRegistration, public notice, archiving",
                "These five steps make up the scheme's basic process.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "第二级以上的系统需要到公安机关备案。",
                tf(True, "zh"),
                "第二级以上系统应当到公安机关办理备案。",
            ),
            en=(
                "Systems at level two or above are filed with the public security authorities.",
                tf(True, "en"),
                "Level two and above are filed with the public security authorities.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "以下哪些是基层业务系统的常见安全隐患？",
                "*默认口令未修改\n*管理后台直接暴露在互联网上\n*外包人员离场后账号未注销\n定期做数据备份和恢复演练",
                "前三项都是常见隐患；定期备份和恢复演练是正确做法。",
            ),
            en=(
                "Which of these are common security weaknesses in local systems?",
                "*Default passwords never changed\n*Admin pages open to the internet\n"
                "*Contractors' accounts left active after they leave\nRegular backups and restore rehearsals",
                "The first three are common weaknesses; backups and restore rehearsals are good practice.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "五个安全保护等级中，保护要求最高的是：",
                "第一级\n第三级\n*第五级",
                "等级由低到高，第五级要求最高。",
            ),
            en=(
                "Which of the five levels has the strictest requirements?",
                "Level one\nLevel three\n*Level five",
                "Levels run from low to high; level five is the strictest.",
            ),
        ),
    ],
)

# --- digital public services ------------------------------------------------------------------

SERVICE_STATION = Course(
    slug="service-station-standards",
    category=Category.DIGITAL_SERVICES,
    hours="2.0",
    for_graduates=True,
    for_operators=True,
    quiz_question_count=4,
    zh=Text(
        "村（社区）公共服务站服务规范",
        "公共服务站是政务服务的“最后一公里”：能办什么、怎样一次性告知和帮办代办、怎样保护群众的信息和权益。",
        ["公共服务站专职操作员岗前培训的第一门课程，也适合分管服务站工作的村（社区）干部。"],
    ),
    en=Text(
        "Serving residents at a village (community) public-service station",
        "The station is the last mile of public services: what it handles, how to tell people everything at "
        "once and help them with their applications, and how to protect their information and interests.",
        [
            "The first course of the operators' pre-service track, also useful for village and community cadres "
            "who oversee a station."
        ],
    ),
    lessons=[
        Lesson(
            "what-stations-do",
            5,
            zh=Text(
                "公共服务站是做什么的",
                "把群众常办的事放到家门口。",
                [
                    p(
                        "村（社区）公共服务站把群众常办的事项放到家门口：社会保险、医疗保障、社会救助、残疾人服务等事项的咨询和办理，"
                        "以及各类证明和办事指南的查询。具体哪些事项可以在本站办理，以本县（市、区）公布的事项清单为准。"
                    ),
                    p(
                        "专职操作员的主要工作是：受理咨询；能在线办的，帮群众在线办；需要到上级窗口办的，提供帮办代办；把政策和办事指南讲清楚。"
                    ),
                    check(
                        SINGLE,
                        "某项业务本站能否办理，应以什么为准？",
                        "操作员的个人经验\n*本县（市、区）公布的事项清单\n邻村的做法",
                        "可办事项以本地公布的事项清单为准，清单会随政策调整。",
                    ),
                ],
            ),
            en=Text(
                "What a public-service station does",
                "Everyday public services, at the villager's doorstep.",
                [
                    p(
                        "A village or community public-service station brings the services residents use most to their "
                        "doorstep: advice and applications for social insurance, medical insurance, social assistance and "
                        "disability services, and help finding certificates and service guides. Exactly what a station "
                        "handles is set by the list its county publishes."
                    ),
                    p(
                        "An operator answers questions, helps residents apply online where possible, handles applications "
                        "on their behalf where a higher-level counter is needed, and explains policies and service guides "
                        "clearly."
                    ),
                    check(
                        SINGLE,
                        "What decides whether a service can be handled at your station?",
                        "The operator's own experience\n*The list of services published by the county\n"
                        "What the next village does",
                        "The published list decides, and it changes as policies change.",
                    ),
                ],
            ),
        ),
        Lesson(
            "tell-once-and-help",
            6,
            zh=Text(
                "一次性告知与帮办代办",
                "让群众少跑腿：一次讲清、首问负责、帮办代办。",
                [
                    p(
                        "一次性告知：群众来办事，材料不全时，要一次性告知需要补充的全部材料，最好书面或通过短信告知，避免让群众来回跑。"
                    ),
                    p(
                        "首问负责：第一个接待群众的工作人员负责到底。本站不能办的，要说明原因，并告诉群众去哪里办、找谁办。"
                    ),
                    p(
                        "帮办代办：对老年人、残疾人等行动不便的群众，可以按规定提供帮办代办或上门服务。"
                        "代办要取得本人授权，核对身份，记录办理过程，办结后及时告知结果。"
                    ),
                    check(
                        MULTIPLE,
                        "群众来办事，发现材料不全，正确的做法有：",
                        "*一次性告知需要补充的全部材料\n*能在线补交的，指导群众在线补交\n请群众先回去，想起来再说\n这次只告知其中一项，下次再说别的",
                        "一次讲清、能线上补交就线上补交，避免群众来回跑。",
                    ),
                ],
            ),
            en=Text(
                "Tell once, and help with applications",
                "Fewer trips for residents: say everything at once, own the request, apply on their behalf.",
                [
                    p(
                        "Tell once: when papers are missing, list everything still needed in one go, in writing or by text "
                        "message if possible, so that nobody has to come back twice."
                    ),
                    p(
                        "First contact owns it: whoever first receives a resident sees the matter through. If your station "
                        "cannot handle it, explain why and say where to go and whom to ask."
                    ),
                    p(
                        "Applying on someone's behalf: for older or disabled residents, operators may apply for them or "
                        "visit them at home, as the rules allow: with the person's authorisation, after checking identity, "
                        "keeping a record, and reporting the result when done."
                    ),
                    check(
                        MULTIPLE,
                        "A resident's papers are incomplete. What should you do?",
                        "*List everything still needed, all at once\n*Show them how to submit missing papers online "
                        "where possible\nSend them home to come back when they remember\n"
                        "Mention one missing paper now and the rest next time",
                        "Say it all at once and use online submission where you can, so nobody makes extra trips.",
                    ),
                ],
            ),
        ),
        Lesson(
            "protect-residents",
            5,
            zh=Text(
                "保护群众的信息和权益",
                "证件材料只用于本次办理，不代管账号和银行卡，保留线下渠道。",
                [
                    p(
                        "服务站经手大量身份证、户口簿、银行卡等材料。复印件只用于本次办理并注明用途，不留存与业务无关的材料；"
                        "不私自拍照保存群众证件；离开电脑时锁屏。"
                    ),
                    p("不替群众保管银行卡、存折和密码，不记录群众各类App的账号密码和验证码。"),
                    p(
                        "对老年人要有耐心：保留线下办理渠道，不能因为不会用智能手机就让群众办不成事。"
                    ),
                    check(
                        TRUE_FALSE,
                        "为了下次办事方便，操作员可以拍下群众的身份证留存在自己手机里。",
                        tf(False, "zh"),
                        "私自留存群众证件照片违反最小必要原则，也有泄露风险。",
                    ),
                ],
            ),
            en=Text(
                "Protecting residents' information and interests",
                "Papers only for the task at hand, no keeping of accounts or bank cards, and an offline option always.",
                [
                    p(
                        "Stations handle ID cards, household registers and bank cards. Copies are used only for the "
                        "application at hand and marked with their purpose; nothing unrelated is kept; no photos of "
                        "residents' documents on your own phone; lock the screen when you step away."
                    ),
                    p(
                        "Never keep residents' bank cards, passbooks or PINs, and never note down their app passwords "
                        "or verification codes."
                    ),
                    p(
                        "Be patient with older residents: keep an offline way to get things done, so that not using a "
                        "smartphone never means not getting served."
                    ),
                    check(
                        TRUE_FALSE,
                        "To save time next time, an operator may keep a photo of a resident's ID card on their own phone.",
                        tf(False, "en"),
                        "Keeping copies of residents' documents breaks the minimum-necessary rule and risks a leak.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            SINGLE,
            zh=(
                "“一次性告知”是指：",
                "*材料不全时一次讲清需补充的全部材料\n每次只告知一项\n只口头说一遍，说过就算",
                "一次讲清全部材料，最好书面告知，群众就不用来回跑。",
            ),
            en=(
                "What does “tell once” mean?",
                "*When papers are missing, list everything still needed in one go\nMention one item at a time\n"
                "Say it once aloud and leave it at that",
                "Listing everything at once, preferably in writing, saves residents repeat trips.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "首问负责要求第一个接待群众的工作人员负责到底，不能办理的也要告知去哪里办、找谁办。",
                tf(True, "zh"),
                "首问负责，就是不让群众在部门之间被推来推去。",
            ),
            en=(
                "“First contact owns it” means the first person to receive a resident sees the matter through, and "
                "says where to go if the station cannot handle it.",
                tf(True, "en"),
                "It keeps residents from being passed from office to office.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "帮群众代办业务时应当：",
                "*取得本人授权\n*核对身份并记录办理过程\n*办结后告知结果\n替群众保管银行卡和密码",
                "代办要有授权、有核对、有记录、有反馈；不能代管银行卡和密码。",
            ),
            en=(
                "When applying on a resident's behalf you should:",
                "*Have the person's authorisation\n*Check identity and record what was done\n"
                "*Report the result when done\nKeep their bank card and PIN for them",
                "Authorisation, checks, records and feedback: yes. Keeping bank cards and PINs: never.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "老年人不会使用智能手机时，应当为其保留并提供线下办理渠道。",
                tf(True, "zh"),
                "数字化不能把不会用智能设备的群众挡在门外。",
            ),
            en=(
                "An older resident who cannot use a smartphone must still be offered an offline way to apply.",
                tf(True, "en"),
                "Going digital must not shut out people who cannot use smart devices.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "群众证件的复印件应当：",
                "*注明用途，仅用于本次办理\n多复印几份备用\n拍照发到工作群备查",
                "复印件只用于本次办理并注明用途。",
            ),
            en=(
                "Copies of a resident's documents should be:",
                "*Marked with their purpose and used only for this application\nMade in extra copies, just in case\n"
                "Photographed and posted to the work group for the record",
                "Copies serve this application only and are marked with their purpose.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "服务站可办事项以什么为准？",
                "*本县（市、区）公布的事项清单\n操作员个人判断\n群众的要求",
                "以本地公布的事项清单为准。",
            ),
            en=(
                "What decides which services a station offers?",
                "*The list published by the county\nThe operator's judgement\nWhat residents ask for",
                "The list published locally decides.",
            ),
        ),
    ],
)

E_LICENCES = Course(
    slug="electronic-licences",
    category=Category.DIGITAL_SERVICES,
    hours="1.0",
    for_graduates=True,
    for_operators=True,
    quiz_question_count=3,
    zh=Text(
        "电子证照应用：让群众少带材料、少跑腿",
        "电子证照的法律效力、怎样调用和核验，以及使用时的授权与隐私要求。",
        ["公共服务站专职操作员岗前培训的第三门课程。"],
    ),
    en=Text(
        "Electronic licences and certificates: fewer papers, fewer trips",
        "The legal force of electronic licences, how to call them up and verify them, and the authorisation "
        "and privacy rules for using them.",
        ["The third course of the operators' pre-service track."],
    ),
    lessons=[
        Lesson(
            "legal-force",
            4,
            zh=Text(
                "电子证照的效力",
                "电子证照与纸质证照具有同等法律效力。",
                [
                    p(
                        "电子证照是行政机关依法出具的电子化证件、执照、批文等，例如电子营业执照、电子社会保障卡、电子驾驶证。"
                    ),
                    p(
                        "《国务院关于在线政务服务的若干规定》明确：电子证照与纸质证照具有同等法律效力；"
                        "除法律、行政法规另有规定外，电子证照和加盖电子印章的电子材料可以作为办理政务服务事项的依据。"
                    ),
                    p(
                        "同一规定还明确：政务服务机构通过数据共享能够获得的信息，不得要求行政相对人另行提供。"
                        "因此，能够通过系统调取、核验电子证照的，就不应再要求群众提交纸质原件或复印件。"
                    ),
                    check(
                        TRUE_FALSE,
                        "电子证照与纸质证照具有同等法律效力。",
                        tf(True, "zh"),
                        "这是《国务院关于在线政务服务的若干规定》的明确规定。",
                    ),
                ],
            ),
            en=Text(
                "The legal force of electronic licences",
                "An electronic licence has the same legal force as a paper one.",
                [
                    p(
                        "Electronic licences are certificates, licences and approvals issued electronically by "
                        "administrative bodies: an electronic business licence, social-security card or driving licence, "
                        "for example."
                    ),
                    p(
                        "The State Council's Provisions on Online Government Services state that electronic licences have "
                        "the same legal force as paper ones, and that, unless laws or administrative regulations provide otherwise, "
                        "electronic licences and electronically sealed documents may be the basis for handling a "
                        "government service."
                    ),
                    p(
                        "The same Provisions forbid asking applicants for information that a public-service body can "
                        "obtain by data sharing. So where a licence can be called up and verified in the system, "
                        "residents should not be asked for the paper original or a copy."
                    ),
                    check(
                        TRUE_FALSE,
                        "An electronic licence has the same legal force as a paper one.",
                        tf(True, "en"),
                        "The State Council's Provisions on Online Government Services say so explicitly.",
                    ),
                ],
            ),
        ),
        Lesson(
            "call-up-and-verify",
            4,
            zh=Text(
                "调用、核验与授权",
                "为本次办理、经授权、只调所需。",
                [
                    p(
                        "在业务系统中调用群众的电子证照，应当基于正在办理的具体事项，按事项规定或经群众本人授权调用，只调取办理所需的证照。"
                    ),
                    p(
                        "核验时看清证照状态是否有效，例如是否过期、是否已注销。不要出于好奇查询与办理无关的人员的证照。"
                    ),
                    p(
                        "群众出示手机上的电子证照时，按系统提供的方式核验即可，不必要求群众再打印出来；也不要截图保存到个人手机。"
                    ),
                    check(
                        SINGLE,
                        "为办理一项社保业务需要调用群众的电子证照，应当：",
                        "把该群众家庭成员的证照也一并调取备用\n*只调取办理本事项所需的证照\n先都调出来，用不上也没关系",
                        "调用电子证照要与正在办理的事项相关，只调取所需的证照。",
                    ),
                ],
            ),
            en=Text(
                "Calling up, verifying, and authorisation",
                "For the application at hand, with authorisation, and only what is needed.",
                [
                    p(
                        "Call up a resident's electronic licences only for the application being handled, as that service "
                        "allows or with the resident's authorisation, and only the licences it needs."
                    ),
                    p(
                        "When verifying, check that the licence is valid: not expired, not cancelled. Never look up the "
                        "licences of people who have nothing to do with the application."
                    ),
                    p(
                        "When residents show a licence on their phone, verify it the way the system provides; do not ask "
                        "for a printout, and do not keep screenshots on your own phone."
                    ),
                    check(
                        SINGLE,
                        "You need a resident's electronic licence for a social-security application. You should:",
                        "Call up the family's licences too, just in case\n*Call up only the licences this application "
                        "needs\nCall up everything; it does no harm",
                        "Licences are called up for the application at hand, and only those it needs.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            TRUE_FALSE,
            zh=(
                "除法律、行政法规另有规定外，电子证照可以作为办理政务服务事项的依据。",
                tf(True, "zh"),
                "《国务院关于在线政务服务的若干规定》对此有明确规定。",
            ),
            en=(
                "Unless laws or administrative regulations provide otherwise, an electronic licence may be the basis for handling a "
                "government service.",
                tf(True, "en"),
                "The State Council's Provisions on Online Government Services say so.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "群众已通过系统提供了有效的电子营业执照，窗口还应当：",
                "要求再交纸质复印件\n*直接在系统中核验使用\n要求到市场监管部门开证明",
                "能通过系统核验的，不再要求提交纸质材料。",
            ),
            en=(
                "A business has provided a valid electronic business licence through the system. The counter should:",
                "Ask for a paper copy as well\n*Verify and use it in the system\n"
                "Ask for a certificate from the market regulator",
                "What can be verified in the system is not requested on paper.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "调用电子证照时应当注意：",
                "*与正在办理的事项相关\n*只调取所需证照\n*核验证照状态是否有效\n顺便查询熟人的证照",
                "调用要有事由、限于所需并核验有效性；不得查询无关人员。",
            ),
            en=(
                "When calling up electronic licences you should make sure:",
                "*It is for the application being handled\n*Only the licences needed are called up\n"
                "*The licence is still valid\nYou also look up acquaintances while you are at it",
                "A reason, only what is needed, a validity check; never people unrelated to the case.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "为图方便，可以把群众的电子证照截图保存到个人手机里。",
                tf(False, "zh"),
                "截图留存群众证照既无必要，也有泄露风险。",
            ),
            en=(
                "For convenience, you may keep screenshots of residents' electronic licences on your own phone.",
                tf(False, "en"),
                "Screenshots are unnecessary and risk a leak.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "以下哪项属于电子证照？",
                "*电子营业执照\n微信聊天记录\n手写收据",
                "电子证照是行政机关依法出具的电子化证件、执照等。",
            ),
            en=(
                "Which of these is an electronic licence?",
                "*An electronic business licence\nA WeChat chat history\nA handwritten receipt",
                "Electronic licences are certificates and licences issued electronically by administrative bodies.",
            ),
        ),
    ],
)

# --- e-government platforms --------------------------------------------------------------------

YUE_PLATFORMS = Course(
    slug="yue-platforms",
    category=Category.EGOV_PLATFORMS,
    hours="2.0",
    for_graduates=True,
    for_operators=True,
    quiz_question_count=4,
    zh=Text(
        "用好“粤系列”政务平台：粤省事、粤商通、粤政易",
        "几个平台分别服务谁、用来做什么，以及怎样在服务站帮群众和企业用起来。",
        ["公共服务站专职操作员岗前培训的第二门课程。"],
    ),
    en=Text(
        "Using Guangdong's “Yue” platforms: Yueshengshi, Yueshangtong and Yuezhengyi",
        "Whom each platform serves and what it is for, and how to help residents and businesses use them at "
        "a service station.",
        ["The second course of the operators' pre-service track."],
    ),
    lessons=[
        Lesson(
            "yueshengshi",
            5,
            zh=Text(
                "粤省事：群众办事掌上办",
                "面向个人的移动政务服务平台。",
                [
                    p(
                        "“粤省事”是广东面向个人的移动政务服务平台，以微信小程序等形式提供服务。"
                        "群众实名注册并通过身份核验后，可以在手机上办理和查询社保、医保、公积金、户政、交通等方面的大量高频事项，"
                        "并可以申领和使用电子证照。"
                    ),
                    p(
                        "<ul><li>让群众本人操作、本人完成实名认证和人脸识别，不代替刷脸；</li>"
                        "<li>不记录、不保存群众的密码和验证码；</li>"
                        "<li>办完后告诉群众在哪里查看办理进度，以后可以自己查。</li></ul>"
                    ),
                    check(
                        SINGLE,
                        "“粤省事”主要面向哪类用户？",
                        "*个人（群众）\n企业\n政府工作人员",
                        "粤省事面向个人；企业用粤商通，公职人员办公用粤政易。",
                    ),
                ],
            ),
            en=Text(
                "Yueshengshi: public services in your pocket",
                "Guangdong's mobile public-service platform for individuals.",
                [
                    p(
                        "Yueshengshi (粤省事) is Guangdong's mobile public-service platform for individuals, offered as a "
                        "WeChat mini-program among other forms. After real-name registration and identity verification, "
                        "residents can handle and track many everyday matters, such as social and medical insurance, the "
                        "housing fund, household registration and transport, and obtain and use electronic licences."
                    ),
                    p(
                        "<ul><li>Let residents operate their phones themselves and complete real-name and face checks "
                        "themselves; never do the face check for them.</li><li>Never note down or keep their passwords "
                        "or codes.</li><li>Afterwards, show them where to follow their application.</li></ul>"
                    ),
                    check(
                        SINGLE,
                        "Whom is Yueshengshi mainly for?",
                        "*Individual residents\nBusinesses\nGovernment staff",
                        "Yueshengshi is for individuals; Yueshangtong is for businesses; Yuezhengyi is for public servants.",
                    ),
                ],
            ),
        ),
        Lesson(
            "yueshangtong",
            4,
            zh=Text(
                "粤商通：企业和个体户办事",
                "面向市场主体的移动政务服务平台。",
                [
                    p(
                        "“粤商通”是广东面向市场主体（企业、个体工商户、农民专业合作社等）的移动政务服务平台，汇集涉企服务和惠企政策信息。"
                    ),
                    p(
                        "帮助本地个体户、合作社使用粤商通，可以让他们少跑腿。办理前先确认是经营者本人或经授权的经办人登录；"
                        "涉及法定代表人身份的操作，应由法定代表人本人或其授权的人完成。"
                    ),
                    check(
                        SINGLE,
                        "帮本村农民专业合作社查询惠企政策，应推荐使用哪个平台？",
                        "粤省事\n*粤商通\n粤政易",
                        "合作社是市场主体，涉企服务和惠企政策用粤商通。",
                    ),
                ],
            ),
            en=Text(
                "Yueshangtong: services for businesses",
                "Guangdong's mobile public-service platform for market entities.",
                [
                    p(
                        "Yueshangtong (粤商通) is Guangdong's mobile public-service platform for market entities, such as "
                        "companies, individual businesses and farmers' co-operatives, bringing together services and "
                        "support policies for businesses."
                    ),
                    p(
                        "Helping local traders and co-operatives use it saves them trips. Make sure the owner, or someone "
                        "they have authorised, logs in; anything done as the legal representative is done by that person "
                        "or someone they have authorised."
                    ),
                    check(
                        SINGLE,
                        "Which platform would you suggest to a village farmers' co-operative looking for business "
                        "support policies?",
                        "Yueshengshi\n*Yueshangtong\nYuezhengyi",
                        "A co-operative is a market entity: business services and policies are on Yueshangtong.",
                    ),
                ],
            ),
        ),
        Lesson(
            "yuezhengyi-and-portal",
            5,
            zh=Text(
                "粤政易与广东政务服务网",
                "干部协同办公用粤政易，电脑上办事查指南用广东政务服务网。",
                [
                    p(
                        "“粤政易”是面向全省公职人员的移动办公平台，用于即时通讯、公文流转、通知传达和协同办公。"
                        "工作信息应在规定的政务平台上传递，不要用个人社交软件传送工作文件，尤其是含有个人信息或敏感内容的文件。"
                    ),
                    p(
                        "广东政务服务网是全省统一的网上政务服务门户，在电脑上可以查询办事指南、在线申办事项、查询办理进度。"
                    ),
                    tip(
                        "怎样选入口",
                        "群众个人事项用粤省事；企业事项用粤商通；干部内部办公用粤政易；在电脑上查询办事指南或办理较复杂的事项，用广东政务服务网。",
                    ),
                    check(
                        TRUE_FALSE,
                        "含有群众个人信息的工作文件，可以用个人微信发给同事，以提高效率。",
                        tf(False, "zh"),
                        "工作文件应通过粤政易等规定的政务平台传递，个人社交软件不适合传送含个人信息的文件。",
                    ),
                ],
            ),
            en=Text(
                "Yuezhengyi and the Guangdong government services portal",
                "Staff work together on Yuezhengyi; the portal serves applicants at a computer.",
                [
                    p(
                        "Yuezhengyi (粤政易) is the mobile office platform for public servants across the province: "
                        "messaging, document flow, notices and joint work. Send work information on the prescribed "
                        "government platforms, not on personal social apps, especially files with personal or sensitive "
                        "information."
                    ),
                    p(
                        "The Guangdong government services portal (广东政务服务网) is the province's single online "
                        "portal for public services: guides, online applications and progress tracking, on a computer."
                    ),
                    tip(
                        "Which one to use",
                        "Residents' own matters: Yueshengshi. Businesses: Yueshangtong. Staff work: Yuezhengyi. "
                        "Guides and more complex applications on a computer: the government services portal.",
                    ),
                    check(
                        TRUE_FALSE,
                        "To save time, you may send a colleague a work file with residents' personal information on "
                        "your personal WeChat.",
                        tf(False, "en"),
                        "Work files go through prescribed platforms such as Yuezhengyi; personal social apps are not "
                        "for files with personal information.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            SINGLE,
            zh=(
                "面向企业和个体工商户的“粤系列”平台是：",
                "粤省事\n*粤商通\n粤政易",
                "粤商通面向市场主体。",
            ),
            en=(
                "Which of the Yue platforms is for companies and individual businesses?",
                "Yueshengshi\n*Yueshangtong\nYuezhengyi",
                "Yueshangtong serves market entities.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "公职人员之间协同办公、流转公文应使用：",
                "*粤政易\n个人微信群\n粤商通",
                "粤政易是面向公职人员的移动办公平台。",
            ),
            en=(
                "Public servants working together and passing documents should use:",
                "*Yuezhengyi\nA personal WeChat group\nYueshangtong",
                "Yuezhengyi is the mobile office platform for public servants.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "帮群众在粤省事上办事时，操作员可以代替群众进行人脸识别。",
                tf(False, "zh"),
                "实名认证和人脸识别必须由群众本人完成。",
            ),
            en=(
                "When helping a resident on Yueshengshi, an operator may do the face check in their place.",
                tf(False, "en"),
                "Real-name and face checks are always done by the residents themselves.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "在服务站帮群众用手机办事时，正确的做法有：",
                "*让群众本人完成实名认证\n*不记录群众的密码和验证码\n*告诉群众以后怎样自己查进度\n把群众账号长期登录在服务站的手机上",
                "账号属于群众本人，不能由服务站长期登录保管。",
            ),
            en=(
                "Helping residents with their phones at the station, which are right?",
                "*Residents complete real-name verification themselves\n*No notes of their passwords or codes\n"
                "*Show them how to follow progress themselves\nKeep their accounts logged in on the station's phone",
                "An account belongs to the resident; the station never keeps it logged in.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "在电脑上查询办事指南、在线申办事项，可以使用：",
                "*广东政务服务网\n粤政易\n个人邮箱",
                "广东政务服务网是全省统一的网上政务服务门户。",
            ),
            en=(
                "To read service guides and apply online on a computer, use:",
                "*The Guangdong government services portal\nYuezhengyi\nA personal e-mail account",
                "The portal is the province's single online gateway to public services.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "群众可以通过“粤省事”申领和使用电子证照。",
                tf(True, "zh"),
                "粤省事提供电子证照的申领和使用。",
            ),
            en=(
                "Residents can obtain and use electronic licences through Yueshengshi.",
                tf(True, "en"),
                "Yueshengshi offers electronic licences.",
            ),
        ),
    ],
)

# --- digital economy ---------------------------------------------------------------------------

RURAL_ECOMMERCE = Course(
    slug="rural-ecommerce",
    category=Category.DIGITAL_ECONOMY,
    hours="3.0",
    for_graduates=True,
    quiz_question_count=4,
    zh=Text(
        "农村电商入门：把本地农产品卖出去",
        "选品与品质、网店和直播的基本规则、合规经营，以及村干部能提供的服务。",
        ["适合联系电商工作的乡镇、村干部和有意返乡创业的毕业生。"],
    ),
    en=Text(
        "Getting started with rural e-commerce",
        "Choosing products and keeping quality steady, the basic rules for online shops and live selling, "
        "staying within the law, and what village cadres can do to help.",
        [
            "For township and village cadres working on e-commerce, and graduates thinking of starting up back home."
        ],
    ),
    lessons=[
        Lesson(
            "products-and-quality",
            6,
            zh=Text(
                "从选品到标准化",
                "电商卖的是稳定的品质。",
                [
                    p(
                        "先选本地有特色、有一定规模、能稳定供货的产品，再在分级、包装、保鲜和物流上下功夫："
                        "同一规格的产品大小、成熟度要一致，描述要与实物相符。"
                    ),
                    p(
                        "生鲜产品要提前测算物流时效和损耗，能走冷链的走冷链；易碎、易腐的产品先小批量试发，根据顾客反馈调整包装。"
                    ),
                    p(
                        "村干部可以帮的忙：对接快递网点和县级电商服务机构，组织农户统一分级和包装，为产品质量检测和品牌认证提供办事指引。"
                    ),
                    check(
                        SINGLE,
                        "农产品网上销售，最先要保证的是：",
                        "包装越豪华越好\n*品质稳定、描述与实物相符\n价格越低越好",
                        "回头客来自稳定的品质和如实的描述。",
                    ),
                ],
            ),
            en=Text(
                "From choosing products to grading them",
                "Online, you are selling consistent quality.",
                [
                    p(
                        "Choose local products with character, enough volume and a steady supply; then work on grading, "
                        "packing, freshness and delivery. Items of one grade match in size and ripeness, and the "
                        "description matches the product."
                    ),
                    p(
                        "For fresh produce, work out delivery times and losses beforehand and use cold-chain delivery "
                        "where you can. Send small trial batches of fragile or perishable goods and adjust the packing "
                        "to customers' feedback."
                    ),
                    p(
                        "Village cadres can help by linking farmers with courier outlets and the county's e-commerce "
                        "service organisations, organising common grading and packing, and guiding farmers through "
                        "quality testing and brand certification."
                    ),
                    check(
                        SINGLE,
                        "Selling farm produce online, what must come first?",
                        "The fanciest packaging\n*Consistent quality and an accurate description\nThe lowest price",
                        "Repeat customers come from consistent quality and honest descriptions.",
                    ),
                ],
            ),
        ),
        Lesson(
            "shops-and-live-selling",
            6,
            zh=Text(
                "网店与直播的规则",
                "该登记的登记，宣传不夸大，顾客信息不外流。",
                [
                    p(
                        "《电子商务法》自2019年1月1日起施行。电子商务经营者一般应当依法办理市场主体登记；"
                        "但个人销售自产农副产品、家庭手工业产品，个人利用自己的技能从事依法无须取得许可的便民劳务活动和零星小额交易活动等，不需要进行登记。"
                    ),
                    p(
                        "直播带货要遵守《广告法》：不得使用“国家级”“最高级”“最佳”等用语；除医疗、药品、医疗器械广告外，"
                        "任何广告都不得涉及疾病治疗功能；不得虚构产地、功效和销量。"
                    ),
                    p(
                        "如实标明价格和规格，按平台规则发货和处理售后；顾客的地址、电话只能用于发货和售后。"
                    ),
                    check(
                        MULTIPLE,
                        "直播介绍本村蜂蜜时，以下哪些说法不能用？",
                        "*“全国最好的蜂蜜”\n*“喝了能治胃病”\n“本村蜂农自产，每瓶500克”",
                        "“最好”属于广告法禁止的绝对化用语；食品不能宣传治疗功效；如实介绍产地和规格是可以的。",
                    ),
                ],
            ),
            en=Text(
                "Rules for online shops and live selling",
                "Register when required, never exaggerate, keep customers' details private.",
                [
                    p(
                        "The E-Commerce Law took effect on 1 January 2019. E-commerce operators generally register as "
                        "market entities, but individuals selling their own farm produce or household handicrafts, "
                        "offering simple services that need no licence, or making occasional small sales do not need to."
                    ),
                    p(
                        "Live selling follows the Advertising Law: no words such as “national-level”, “highest-grade” or "
                        "“best”; no claims to treat illness except in advertisements for medical services, medicines and "
                        "medical devices; no invented origins, effects or sales figures."
                    ),
                    p(
                        "State prices and sizes truthfully; ship and handle after-sales as the platform's rules require. "
                        "Customers' addresses and phone numbers are only for delivery and after-sales."
                    ),
                    check(
                        MULTIPLE,
                        "Presenting the village's honey on a live stream, which of these may you not say?",
                        "*“The best honey in China”\n*“Cures stomach trouble”\n"
                        "“Made by our village's beekeepers, 500 g a jar”",
                        "“Best” is an absolute term the Advertising Law forbids, and food may not claim to cure "
                        "illness. An accurate origin and size are fine.",
                    ),
                ],
            ),
        ),
        Lesson(
            "village-support-and-risks",
            5,
            zh=Text(
                "村级服务与风险提示",
                "代运营看清合同，刷单刷评不能碰。",
                [
                    p(
                        "常见的坑：代运营公司收取高额“服务费”“培训费”后不见效果；刷单刷评被平台处罚；预售收款后不能按时发货引发纠纷。"
                        "签合同前看清收费方式、服务内容和退出条件，必要时请县里的电商服务机构或法律顾问把关。"
                    ),
                    p(
                        "可以利用快递、物流企业在县、乡、村设立的寄递网点降低发货成本；把村里的电商带头人、返乡大学生组织起来，互相带动。"
                    ),
                    check(
                        TRUE_FALSE,
                        "为了尽快提高销量，可以找人刷单刷好评。",
                        tf(False, "zh"),
                        "刷单刷评是虚假宣传，违反《反不正当竞争法》等规定，还会被平台处罚。",
                    ),
                ],
            ),
            en=Text(
                "Village support, and pitfalls to avoid",
                "Read agency contracts closely; never buy fake orders or reviews.",
                [
                    p(
                        "Common pitfalls: agencies that charge large “service” or “training” fees and deliver nothing; "
                        "fake orders and reviews that get a shop penalised; pre-sales that cannot be shipped on time. "
                        "Before signing, read the fees, the services and how to get out of the contract; ask the county's "
                        "e-commerce service organisation or a legal adviser when unsure."
                    ),
                    p(
                        "Use the courier and logistics outlets set up in counties, townships and villages to cut "
                        "shipping costs, and bring the village's e-commerce pioneers and returning graduates together "
                        "so they help each other."
                    ),
                    check(
                        TRUE_FALSE,
                        "To lift sales quickly, you may pay people for fake orders and good reviews.",
                        tf(False, "en"),
                        "Fake orders and reviews are false advertising, break the Anti-Unfair Competition Law and "
                        "similar rules, and are penalised by platforms.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            SINGLE,
            zh=(
                "《电子商务法》自何时起施行？",
                "2017年6月1日\n*2019年1月1日\n2021年9月1日",
                "电子商务法自2019年1月1日起施行。",
            ),
            en=(
                "When did the E-Commerce Law take effect?",
                "1 June 2017\n*1 January 2019\n1 September 2021",
                "The E-Commerce Law took effect on 1 January 2019.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "个人在网上销售自产农副产品，不需要进行市场主体登记。",
                tf(True, "zh"),
                "电子商务法规定，个人销售自产农副产品不需要进行登记。",
            ),
            en=(
                "An individual selling their own farm produce online does not need to register as a market entity.",
                tf(True, "en"),
                "The E-Commerce Law exempts individuals selling their own farm produce.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "直播带货时禁止的行为有：",
                "*使用“最佳”“国家级”等用语\n*宣传普通食品有治疗功效\n*虚构销量\n如实介绍产地和规格",
                "前三项均违反广告法等规定；如实介绍是应当做的。",
            ),
            en=(
                "Which are forbidden when selling on a live stream?",
                "*Words such as “best” or “national-level”\n*Claiming an ordinary food treats illness\n"
                "*Invented sales figures\nAn accurate origin and size",
                "The first three break the Advertising Law and related rules; accurate information is what you should give.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "与代运营公司合作前，最重要的是：",
                "先交钱占名额\n*看清收费方式、服务内容和退出条件\n相信口头承诺",
                "合同条款决定了出问题时能否止损。",
            ),
            en=(
                "Before working with an e-commerce agency, the most important thing is to:",
                "Pay first to secure a place\n*Read the fees, the services and the exit terms\nTrust verbal promises",
                "The contract decides whether you can cut your losses if things go wrong.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "顾客的收货地址和电话可以转卖给其他商家。",
                tf(False, "zh"),
                "顾客信息只能用于发货和售后，转卖违反个人信息保护法。",
            ),
            en=(
                "Customers' addresses and phone numbers may be sold to other sellers.",
                tf(False, "en"),
                "Customer details serve delivery and after-sales only; selling them breaks the PIPL.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "生鲜农产品网上销售前，应当：",
                "*测算物流时效与损耗，小批量试发\n直接大批量发货\n不必考虑包装",
                "先试后推，损耗和差评都会少很多。",
            ),
            en=(
                "Before selling fresh produce online, you should:",
                "*Work out delivery times and losses, and send a small trial batch\nShip in bulk straight away\n"
                "Not worry about packing",
                "Trial first: fewer losses and fewer bad reviews.",
            ),
        ),
    ],
)

# --- rural revitalisation ------------------------------------------------------------------------

DIGITAL_VILLAGE = Course(
    slug="digital-village",
    category=Category.RURAL_REVITALISATION,
    hours="4.0",
    quiz_question_count=5,
    zh=Text(
        "数字乡村建设实务",
        "数字乡村从哪里做起：村务数字化、智慧农业与数字普惠服务，以及怎样避免“重建设、轻使用”。",
        ["面向乡镇（街道）和村（社区）干部。四节课，约二十分钟。"],
    ),
    en=Text(
        "Building a digital village in practice",
        "Where to start: village affairs online, smart farming and digital services for all, and how to avoid "
        "systems that are built but never used.",
        ["For township and village cadres. Four lessons, about twenty minutes."],
    ),
    lessons=[
        Lesson(
            "what-is-a-digital-village",
            5,
            zh=Text(
                "数字乡村是什么",
                "让网络、数据和应用真正帮到生产、治理和生活。",
                [
                    p(
                        "2019年，中共中央办公厅、国务院办公厅印发《数字乡村发展战略纲要》，"
                        "指出数字乡村既是乡村振兴的战略方向，也是建设数字中国的重要内容。"
                    ),
                    p(
                        "对一个乡镇来说，数字乡村不是买几块大屏，而是让网络、数据和应用真正帮到农业生产、乡村治理和群众生活。"
                    ),
                    check(
                        SINGLE,
                        "衡量数字乡村建设，首先要看：",
                        "大屏和展厅是否气派\n*是否真正帮到生产、治理和群众生活\n上了多少个系统",
                        "数字乡村的价值在于实际应用，而不是设备和系统的数量。",
                    ),
                ],
            ),
            en=Text(
                "What a digital village is",
                "Networks, data and applications that really help farming, governance and daily life.",
                [
                    p(
                        "In 2019 the General Offices of the CPC Central Committee and the State Council issued the Digital "
                        "Village Development Strategy Outline, which calls the digital village both a strategic direction "
                        "for rural revitalisation and an important part of building a Digital China."
                    ),
                    p(
                        "For a township, a digital village is not a few big screens: it is networks, data and applications "
                        "that really help farming, village governance and people's daily lives."
                    ),
                    check(
                        SINGLE,
                        "What should a digital village be judged by first?",
                        "How impressive the screens and showrooms are\n"
                        "*Whether it really helps farming, governance and daily life\nHow many systems it has",
                        "Its value lies in real use, not in the number of devices or systems.",
                    ),
                ],
            ),
        ),
        Lesson(
            "village-affairs-online",
            6,
            zh=Text(
                "村务数字化与基层治理",
                "一个入口、一次录入，公开时保护个人信息。",
                [
                    p(
                        "常见做法：村务、党务、财务在线公开，群众用手机就能看；网格员用统一的应用上报和跟踪事项；"
                        "群众诉求线上收集、分派、反馈，形成闭环。"
                    ),
                    p(
                        "要点是“一个入口、一次录入”：新系统应尽量对接已有平台，避免网格员、村干部在多个App重复录入。"
                        "采集数据要遵守个人信息保护的要求；公开的名单要对身份证号、手机号等作脱敏处理。"
                    ),
                    check(
                        TRUE_FALSE,
                        "村务公开时，应对名单中的身份证号等个人信息作脱敏处理。",
                        tf(True, "zh"),
                        "公开是为了接受监督，不需要公开完整的身份证号、手机号。",
                    ),
                ],
            ),
            en=Text(
                "Village affairs online, and local governance",
                "One entry point, enter data once, and protect personal information in public notices.",
                [
                    p(
                        "Common practice: village, party and financial affairs published online for residents to read "
                        "on their phones; grid workers reporting and following up matters in one shared app; residents' "
                        "requests collected, assigned and answered online, closing the loop."
                    ),
                    p(
                        "The key is one entry point and entering data once: new systems connect to existing platforms "
                        "so that grid workers and cadres do not type the same data into several apps. Data collection "
                        "follows the personal-information rules, and published lists mask ID and phone numbers."
                    ),
                    check(
                        TRUE_FALSE,
                        "Lists published as part of village transparency should mask ID numbers and other personal "
                        "information.",
                        tf(True, "en"),
                        "Publication is for public oversight; full ID and phone numbers are not needed for that.",
                    ),
                ],
            ),
        ),
        Lesson(
            "smart-farming-and-services",
            6,
            zh=Text(
                "智慧农业与数字普惠服务",
                "从投入小、见效快的做法开始。",
                [
                    p(
                        "智慧农业的入门做法不一定昂贵：用手机接收气象和病虫害预警，通过农业技术服务平台向专家咨询，"
                        "为大棚、鱼塘安装简单的温湿度、溶氧监测设备。"
                    ),
                    p(
                        "数字普惠服务包括远程医疗、线上教育资源、农村电商和移动支付、政务服务下沉到村。村（社区）公共服务站可以成为这些服务的线下入口。"
                    ),
                    check(
                        MULTIPLE,
                        "以下哪些属于数字普惠服务？",
                        "*远程医疗\n*政务服务下沉到村\n*线上教育资源\n要求村民每天在群里打卡",
                        "打卡不是服务，而是负担。",
                    ),
                ],
            ),
            en=Text(
                "Smart farming and digital services for all",
                "Start with what costs little and pays off quickly.",
                [
                    p(
                        "Smart farming need not be expensive at first: weather and pest warnings on the phone, advice "
                        "from experts through agricultural extension platforms, simple temperature, humidity and oxygen "
                        "sensors for greenhouses and fish ponds."
                    ),
                    p(
                        "Digital services for all include telemedicine, online learning, rural e-commerce and mobile "
                        "payment, and public services brought down to the village. The village public-service station "
                        "can be their offline front door."
                    ),
                    check(
                        MULTIPLE,
                        "Which of these are digital services for all?",
                        "*Telemedicine\n*Public services brought to the village\n*Online learning resources\n"
                        "Making villagers check in on a group chat every day",
                        "A daily check-in is a burden, not a service.",
                    ),
                ],
            ),
        ),
        Lesson(
            "built-and-used",
            5,
            zh=Text(
                "避免“重建设、轻使用”",
                "立项先问谁用、谁管、花多少；评价看实效。",
                [
                    p(
                        "不少数字化项目建成后没人用、没人管：大屏只在检查时打开，App下载量靠摊派，数据不更新。"
                    ),
                    p(
                        "<ul><li>立项前先问清楚：解决谁的什么问题？谁来用？谁来维护？每年运维费用多少？</li>"
                        "<li>优先使用省、市已有平台，不重复建设；</li>"
                        "<li>用群众办事时间、满意度等实际效果评价项目，不以下载量、点击量、台账照片论英雄；</li>"
                        "<li>为不会用智能设备的老年人保留线下渠道。</li></ul>"
                    ),
                    check(
                        SINGLE,
                        "评价一个数字乡村项目，最合适的指标是：",
                        "App下载量\n工作台账照片数量\n*群众办事时间是否缩短、满意度是否提高",
                        "下载量和照片容易“刷”出来，群众得到的实际便利才是目的。",
                    ),
                ],
            ),
            en=Text(
                "Avoiding systems that are built but never used",
                "Before starting, ask who uses it, who runs it and what it costs; judge it by results.",
                [
                    p(
                        "Many digital projects are unused and unmaintained once built: screens switched on only for "
                        "inspections, app downloads imposed by quota, data never updated."
                    ),
                    p(
                        "<ul><li>Before approval, ask: whose problem does it solve? Who will use it? Who maintains it? "
                        "What does it cost each year?</li><li>Use existing provincial and city platforms first; do not "
                        "build twice.</li><li>Judge projects by results such as time saved for residents and their "
                        "satisfaction, not by downloads, clicks or photos.</li><li>Keep an offline channel for older "
                        "people who do not use smart devices.</li></ul>"
                    ),
                    check(
                        SINGLE,
                        "What is the best measure of a digital-village project?",
                        "App downloads\nThe number of photos in the work ledger\n"
                        "*Whether residents spend less time on errands and are more satisfied",
                        "Downloads and photos are easy to inflate; real convenience for residents is the point.",
                    ),
                ],
            ),
        ),
    ],
    questions=[
        Question(
            SINGLE,
            zh=(
                "《数字乡村发展战略纲要》由谁印发？",
                "*中共中央办公厅、国务院办公厅\n广东省人民政府\n某互联网企业",
                "2019年，中共中央办公厅、国务院办公厅印发了《数字乡村发展战略纲要》。",
            ),
            en=(
                "Who issued the Digital Village Development Strategy Outline?",
                "*The General Offices of the CPC Central Committee and the State Council\n"
                "The Guangdong Provincial Government\nAn internet company",
                "The General Offices of the CPC Central Committee and the State Council issued it in 2019.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "数字乡村新系统应尽量对接已有平台，避免基层重复录入。",
                tf(True, "zh"),
                "一个入口、一次录入，才能真正减负。",
            ),
            en=(
                "New digital-village systems should connect to existing platforms so that nobody enters data twice.",
                tf(True, "en"),
                "One entry point and entering data once is what really lightens the load.",
            ),
        ),
        Question(
            MULTIPLE,
            zh=(
                "避免“重建设、轻使用”的做法有：",
                "*立项前明确谁用、谁维护\n*优先使用省市已有平台\n*以实际效果评价项目\n通过摊派提高App下载量",
                "摊派下载量恰恰是“重建设、轻使用”的表现。",
            ),
            en=(
                "Which help avoid systems that are built but never used?",
                "*Deciding who uses and maintains it before approval\n*Using existing provincial and city platforms "
                "first\n*Judging projects by real results\nImposing app-download quotas",
                "Download quotas are a symptom of the problem, not a cure.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "村务公开名单中的身份证号应当：",
                "全部公开以示透明\n*作脱敏处理\n只给亲友看",
                "公开名单时身份证号、手机号等要作脱敏处理。",
            ),
            en=(
                "ID numbers in a published village list should be:",
                "Published in full, for transparency\n*Masked\nShown only to friends and family",
                "Published lists mask ID and phone numbers.",
            ),
        ),
        Question(
            TRUE_FALSE,
            zh=(
                "数字乡村建设中，应为不会使用智能设备的老年人保留线下服务渠道。",
                tf(True, "zh"),
                "数字化不能把不会用智能设备的群众挡在门外。",
            ),
            en=(
                "A digital village keeps offline services for older people who do not use smart devices.",
                tf(True, "en"),
                "Going digital must not shut anyone out.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "智慧农业入门做法中，投入较少、见效较快的是：",
                "*用手机接收气象和病虫害预警\n先建设大型数据中心\n购买整套无人农场设备",
                "从投入小、见效快的应用做起。",
            ),
            en=(
                "Which smart-farming step costs little and pays off quickly?",
                "*Weather and pest warnings on the phone\nBuilding a large data centre first\n"
                "Buying a complete unmanned-farm system",
                "Start with applications that cost little and pay off quickly.",
            ),
        ),
        Question(
            SINGLE,
            zh=(
                "网格员上报事项的理想方式是：",
                "在多个App中分别上报\n*一个入口录入，相关部门共享\n纸质登记后再逐级录入",
                "一个入口、一次录入，数据共享。",
            ),
            en=(
                "What is the best way for grid workers to report matters?",
                "Separately in several apps\n*Once, through one entry point, shared with the departments concerned\n"
                "On paper first, then typed in level by level",
                "One entry point, entered once, shared.",
            ),
        ),
    ],
)

# In the catalogue's order; a prerequisite comes before the course that needs it.
COURSES = [
    DATA_LAW,
    ONE_SOURCE,
    PHISHING,
    MLPS,
    SERVICE_STATION,
    YUE_PLATFORMS,
    E_LICENCES,
    RURAL_ECOMMERCE,
    DIGITAL_VILLAGE,
]

CATALOGUE = {
    "zh": {
        "title": "课程中心",
        "intro": "<p>面向全省基层干部、高校毕业生和村（社区）公共服务站操作员的数字技能课程、学习路径和培训活动。"
        "学完课程并通过考核，学时自动记入个人学习档案，不需要截图或拍照打卡。</p>",
    },
    "en": {
        "title": "Courses",
        "intro": "<p>Digital-skills courses, learning paths and training events for grassroots cadres, university "
        "graduates and village public-service-station operators across Guangdong. Finish a course and pass its "
        "assessment, and the hours are added to your record: no screenshots, no photo check-ins.</p>",
    },
}

PRE_SERVICE_PATH = {
    "slug": "operator-pre-service",
    "courses": [SERVICE_STATION.slug, YUE_PLATFORMS.slug, E_LICENCES.slug],
    "zh": {
        "title": "公共服务站专职操作员岗前培训",
        "summary": "面向拟任和在岗的村（社区）公共服务站专职操作员：服务规范、“粤系列”平台、电子证照，三门课程按顺序学习。",
        "description": "<p>按顺序完成三门课程并通过各自的考核后，可获得学习路径证书。"
        "报考公共服务站专职操作员岗位的高校毕业生，建议在报名前完成。</p>",
    },
    "en": {
        "title": "Pre-service training for public-service-station operators",
        "summary": "For future and serving village public-service-station operators: service standards, the Yue "
        "platforms and electronic licences, three courses taken in order.",
        "description": "<p>Complete the three courses in order and pass each assessment to receive a learning-path "
        "certificate. Graduates applying for operator posts are encouraged to finish it before they apply.</p>",
    },
}


@dataclass(frozen=True)
class Event:
    slug: str
    format: str
    category: str
    region_code: str
    days_ahead: int
    start: tuple[int, int]  # local hour, minute
    end: tuple[int, int]
    capacity: int
    hours: str
    zh: dict
    en: dict
    for_operators: bool = False


EVENTS = [
    Event(
        slug="digital-government-class-meixian",
        format=EventFormat.TRAINING_CLASS,
        category=Category.EGOV_PLATFORMS,
        region_code="441403",  # 梅县区
        days_ahead=14,
        start=(9, 0),
        end=(17, 30),
        capacity=60,
        hours="6.0",
        zh={
            "title": "数字政府改革建设专题培训班（梅县区）",
            "summary": "一天集中培训：粤政易协同办公、政务服务事项梳理、公共服务站帮办代办案例。",
            "description": "<p>面向梅县区各镇（街道）分管政务服务和信息化工作的干部。请携带已登录粤政易的手机，现场有上机练习。"
            "签到以主办方现场点名或签到码为准，无需拍照。</p>",
            "venue_address": "梅县区政务服务中心多功能会议室（演示地址）",
        },
        en={
            "title": "Digital government reform: professional training class (Meixian District)",
            "summary": "One day of training: working together on Yuezhengyi, reviewing the list of public services, "
            "and cases of helping residents at service stations.",
            "description": "<p>For officials in Meixian's townships and sub-districts in charge of public services and "
            "IT. Bring a phone logged in to Yuezhengyi for the hands-on exercises. Attendance is taken by the "
            "organiser's roll call or check-in code; no photos.</p>",
            "venue_address": "Multi-purpose hall, Meixian District Government Service Centre (demo address)",
        },
    ),
    Event(
        slug="digital-village-forum-tianhe",
        format=EventFormat.FORUM,
        category=Category.RURAL_REVITALISATION,
        region_code="440106",  # 天河区
        days_ahead=21,
        start=(14, 0),
        end=(17, 30),
        capacity=200,
        hours="3.0",
        for_operators=True,
        zh={
            "title": "数字乡村建设经验交流会",
            "summary": "来自粤东西北和珠三角的乡镇、村干部分享村务数字化、农村电商和公共服务站建设的做法与教训。",
            "description": "<p>半天交流会，分三个主题：村务在线公开与网格化管理、农产品上行、公共服务站帮办代办。"
            "每个主题留出现场提问时间。</p>",
            "venue_address": "广州市天河区会议中心报告厅（演示地址）",
        },
        en={
            "title": "Digital village experience-exchange forum",
            "summary": "Township and village cadres from across Guangdong share what worked and what did not in "
            "village affairs online, rural e-commerce and public-service stations.",
            "description": "<p>An afternoon in three parts: village affairs online and grid management, selling farm "
            "produce online, and helping residents at service stations. Each part ends with questions from the "
            "floor.</p>",
            "venue_address": "Lecture hall, conference centre, Tianhe District, Guangzhou (demo address)",
        },
    ),
    Event(
        slug="study-visit-shaoguan",
        format=EventFormat.STUDY_VISIT,
        category=Category.RURAL_REVITALISATION,
        region_code="440200",  # 韶关市
        days_ahead=28,
        start=(8, 30),
        end=(17, 30),
        capacity=30,
        hours="6.0",
        zh={
            "title": "乡村数字化治理考察学习（韶关）",
            "summary": "实地走访村（社区）公共服务站和农村电商服务点，与当地干部面对面交流。",
            "description": "<p>一天行程，集合地点和时间在报名成功后另行通知。名额有限，报满后进入候补名单，有人取消时按顺序自动递补。</p>",
            "venue_address": "韶关市（集合地点报名后通知，演示）",
        },
        en={
            "title": "Study visit: digital governance in villages (Shaoguan)",
            "summary": "Visit village public-service stations and rural e-commerce service points, and talk with "
            "local cadres.",
            "description": "<p>A one-day visit; the meeting point and time are sent once your place is confirmed. "
            "Places are limited: when full, you join the waiting list and move up automatically when someone "
            "cancels.</p>",
            "venue_address": "Shaoguan (meeting point sent after registration; demo)",
        },
    ),
]

# Who does what in the demo.
DEMO_CADRE = "cadre@demo.gd.cn"
DEMO_GRADUATE = "graduate@demo.gd.cn"
CADRE_COMPLETED = PHISHING.slug
CADRE_IN_PROGRESS = DATA_LAW.slug
CADRE_EVENT = EVENTS[0].slug
