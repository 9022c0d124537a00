"""Demo training (TRN-1): 马军 (HR) set up the 热线客服岗前培训 course for realty's 客户服务部 with a
five-question exam; 赵敏 passed at the first attempt, 孙丽 failed once and passed on the retake. The
new agent 钱程 joined 热线一组 and the hotline skill group and is in onboarding: he has not passed yet
— one failed attempt — so routing skips him and nobody can assign or transfer a case to him."""

from datetime import datetime, time, timedelta

from kefu.cases.actions import config as cases_config
from kefu.cases.models import SkillGroup
from kefu.core import clock
from kefu.org import actions as org
from kefu.org.access import actor_for
from kefu.org.models import Employee, Post, Role, Unit
from kefu.quality.actions import training as actions

QUESTIONS = [
    {
        "text": "接听电话时的第一句话应是？",
        "choices": ["喂，什么事", "您好，华辰客服，请问有什么可以帮您", "说吧"],
        "answer": 1,
    },
    {
        "text": "“三声服务”指的是？",
        "choices": ["来有迎声、问有答声、走有送声", "大声、高声、笑声"],
        "answer": 0,
    },
    {
        "text": "客户投诉时首先应当？",
        "choices": ["解释公司没有责任", "耐心倾听并记录", "转给同事"],
        "answer": 1,
    },
    {
        "text": "不能当场答复的问题应？",
        "choices": ["告知客户无法处理", "登记工单并告知答复时限", "让客户再打来"],
        "answer": 1,
    },
    {
        "text": "客户个人信息可以？",
        "choices": ["随意告诉他人", "按规定保密，仅在工作需要时查看", "截图发到群里"],
        "answer": 1,
    },
]


def _as(employee):
    return actor_for(employee.user, origin="cli demo")


def _answers(exam, wrong: int = 0) -> dict:
    """The right answers, with the first `wrong` questions answered wrongly."""
    out = {}
    for n, q in enumerate(exam.questions.order_by("order")):
        out[str(q.pk)] = (q.answer + 1) % len(q.choices) if n < wrong else q.answer
    return out


def load_training(actor, password: str) -> dict:
    people = {
        e.user.username: e
        for e in Employee.objects.filter(
            user__username__in=["majun", "zhaomin", "sunli", "lina"]
        ).select_related("user", "unit")
    }
    if len(people) < 4:
        return {"courses": 0}
    hr = _as(people["majun"])
    start = clock.today() - timedelta(days=20)
    with clock.frozen_at(datetime.combine(start, time(9), tzinfo=clock.zone())):
        course = actions.create_course(
            hr,
            title="热线客服岗前培训",
            unit=Unit.objects.get(code="realty-cs"),
            required_for_new=True,
            materials="一、十字服务用语与三声服务\n二、投诉受理与分流流程\n三、工单登记与答复时限\n四、客户信息保密",
        )
        actions.add_session(hr, course, starts_at=clock.now() + timedelta(days=1), place="客户服务部培训室")
        exam = actions.set_exam(hr, course, QUESTIONS)
        for username in ("zhaomin", "sunli"):
            actions.enrol(hr, course, people[username])
    with clock.frozen_at(datetime.combine(start + timedelta(days=2), time(15), tzinfo=clock.zone())):
        actions.submit_attempt(_as(people["zhaomin"]), exam, _answers(exam))
        actions.submit_attempt(_as(people["sunli"]), exam, _answers(exam, wrong=2))  # 60: failed
    with clock.frozen_at(datetime.combine(start + timedelta(days=3), time(15), tzinfo=clock.zone())):
        actions.submit_attempt(
            _as(people["sunli"]), exam, _answers(exam, wrong=1)
        )  # 80: passed on the retake
    # the new agent 钱程: hired through the org actions, in the hotline group, onboarding started by HR
    hotline = Unit.objects.get(code="realty-cs-hotline")
    newcomer, _ = org.create_employee(
        actor,
        username="qiancheng",
        name="钱程",
        number="RE0015",
        unit=hotline,
        post=Post.objects.get(code="cs_specialist"),
        password=password,
        email="qiancheng@demo.kefu.invalid",
        employment_type="probation",
    )
    org.set_roles(actor, newcomer, [Role.objects.get(code="agent")])
    org.update_employee(actor, newcomer, supervisors=[people["lina"]])
    group = SkillGroup.objects.filter(unit=hotline, members=people["zhaomin"]).first()
    if group is not None:
        members = [*group.members.values_list("pk", flat=True), newcomer.pk]
        cases_config.update_group(actor, group, members=members)
    with clock.frozen_at(datetime.combine(clock.today() - timedelta(days=1), time(9), tzinfo=clock.zone())):
        actions.start_onboarding(hr, newcomer)
    with clock.frozen_at(datetime.combine(clock.today() - timedelta(days=1), time(16), tzinfo=clock.zone())):
        actions.submit_attempt(_as(newcomer), exam, _answers(exam, wrong=3))  # 40: not yet
    return {"courses": 1, "new_agent": newcomer.pk}
