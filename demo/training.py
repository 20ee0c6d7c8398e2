"""Demo training: a course with a quiz per team, assigned and partly taken, a monthly assessment, a knowledge
base (one article written from last week's QA case), onboarding checklists and a career path."""

import datetime as dt

from django.contrib.auth import get_user_model

from qa_reviews import cases
from qa_reviews.models import Case, Criterion
from teams.models import Membership, Position, Role, Team
from training import courses, onboarding
from training.career import services as career
from training.knowledge import services as knowledge
from training.models import AttemptStatus, Course, Frequency, QuestionKind, StepKind
from training.quizzes import building, taking

PRE_SALES_COURSE = {
    "title": "商品知识：尺码与面料",
    "description": "售前必修：尺码推荐、面料说明和搭配建议，回答要准确，不夸大。",
    "materials": [
        {
            "kind": "text",
            "title": "尺码表怎么读",
            "estimated_minutes": 10,
            "body": "## 三步推荐尺码\n\n1. 先问身高体重\n2. 再问平时穿的尺码\n3. 对照**尺码表**给出建议，并提醒 7 天无理由退换。",
        },
        {
            "kind": "video",
            "title": "周会录像：面料知识",
            "estimated_minutes": 25,
            "video_url": "https://video.example.com/training/fabrics-2026-11",
        },
        {
            "kind": "text",
            "title": "搭配推荐话术",
            "estimated_minutes": 10,
            "body": "推荐搭配时说明**理由**（颜色、场合），一次不超过两件。",
        },
    ],
    "criterion": "Offers an alternative or upsell",
}
AFTER_SALES_COURSE = {
    "title": "退款与售后政策",
    "description": "售后必修：退款时效、退换货流程和安抚话术。",
    "materials": [
        {
            "kind": "text",
            "title": "退款到账时效",
            "estimated_minutes": 10,
            "body": "- 原路退回：**1–3 个工作日**\n- 银行卡：最长 **7 个工作日**\n\n不确定时先查订单，再答复顾客。",
        },
        {
            "kind": "video",
            "title": "周会录像：投诉安抚",
            "estimated_minutes": 30,
            "video_url": "https://video.example.com/training/complaints-2026-11",
        },
    ],
    "criterion": "Correct and complete answer",
}
QUIZ = [
    {"kind": QuestionKind.SINGLE, "text": "顾客问退款多久到账（原路退回），正确的答复是？", "points": 2,
     "choices": [{"text": "1–3 个工作日", "is_correct": True}, {"text": "当天一定到账", "is_correct": False},
                 {"text": "一个月内", "is_correct": False}]},
    {"kind": QuestionKind.MULTIPLE, "text": "处理投诉时应该做的有哪些？", "points": 2,
     "choices": [{"text": "先致歉安抚", "is_correct": True}, {"text": "确认问题和订单", "is_correct": True},
                 {"text": "让顾客自己去查物流", "is_correct": False}]},
    {"kind": QuestionKind.TRUE_FALSE, "text": "不确定的时效可以先答应顾客，之后再查。", "points": 1,
     "choices": [{"text": "对", "is_correct": False}, {"text": "错", "is_correct": True}]},
    {"kind": QuestionKind.SHORT, "text": "写出你安抚一位等了三天退款的顾客的第一句话。", "points": 2, "choices": []},
]  # fmt: skip
ARTICLES = [
    ("售后政策", "faq", "退款到账时效说明", "原路退回 1–3 个工作日到账，银行卡最长 7 个工作日。超过时效请升级给主管。", ["退款", "时效"]),
    ("售后政策", "best_practice", "投诉安抚五步法", "致歉 → 确认 → 给出处理时间 → 跟进 → 回访满意度。", ["投诉", "安抚"]),
    ("商品知识", "product", "尺码推荐：先问身高体重", "推荐尺码前先问身高体重和平时的尺码，再对照尺码表。", ["尺码"]),
    ("商品知识", "faq", "How to answer a coupon question",
     "Check the campaign rules first: coupons of the same shop do not stack; platform coupons do.", ["coupon"]),
]  # fmt: skip
ANSWERS_BY_SKILL = [(True, "非常抱歉让您久等了，我马上帮您查退款进度。"), (False, "")]  # (answers right, short answer)


def demo_training_seed(*, department: Team, today: dt.date) -> dict[str, int]:
    """Seed once (a second run changes nothing): the department has courses already."""
    teams = {team.name: team for team in Team.objects.filter(parent=department)}
    if Course.objects.filter(team__in=[department, *teams.values()]).exists():
        return {"courses": Course.objects.filter(team__in=teams.values()).count()}
    User = get_user_model()
    supervisors = {
        membership.team_id: membership.user
        for membership in Membership.objects.filter(team__in=teams.values(), role=Role.SUPERVISOR).select_related(
            "user"
        )
    }
    manager = User.objects.get(username="manager")
    inspector = User.objects.get(username="qa")
    articles = _knowledge_base(department=department, manager=manager)
    for team, spec, position in (
        (teams["Pre-sales"], PRE_SALES_COURSE, Position.PRE_SALES),
        (teams["After-sales"], AFTER_SALES_COURSE, Position.AFTER_SALES),
    ):
        supervisor = supervisors[team.pk]
        course = _course_with_quiz(team=team, spec=spec, author=supervisor)
        assignments = courses.assignments_create(
            course=course, actor=supervisor, due_date=today + dt.timedelta(days=4), teams=[team]
        )
        _take_some(assignments=assignments, course=course, grader=supervisor)
        courses.assessment_create(team=team, course=course, actor=supervisor, frequency=Frequency.MONTHLY)
        _onboarding_and_career(team=team, author=supervisor, course=course, article=articles[0], position=position)
    case = Case.objects.filter(team__in=teams.values(), lesson_learned__gt="").order_by("pk").first()
    if case is not None:
        cases.case_turn_into_training(case=case, actor=inspector)
    return {"courses": Course.objects.filter(team__in=teams.values()).count()}


def _course_with_quiz(*, team: Team, spec: dict, author) -> Course:
    criteria = Criterion.objects.filter(scorecard__team=team, scorecard__is_current=True, title=spec["criterion"])
    course = courses.course_create(
        team=team,
        actor=author,
        title=spec["title"],
        description=spec["description"],
        materials=spec["materials"],
        qa_criteria=list(criteria),
    )
    building.quiz_save(
        course=course, actor=author, pass_mark=70, max_attempts=3, shuffle_questions=True, questions=QUIZ
    )
    return courses.course_set_published(course=course, actor=author, published=True)


def _take_some(*, assignments, course: Course, grader) -> None:
    """Half the team works through the course; most pass the quiz, one fails, one waits for grading."""
    materials = list(course.materials.all())
    questions = list(course.quiz.questions.prefetch_related("choices"))
    for index, assignment in enumerate(sorted(assignments, key=lambda a: a.user.username)[: len(assignments) // 2]):
        for material in materials:
            courses.material_mark_done(assignment=assignment, material=material, actor=assignment.user)
        right, short_answer = ANSWERS_BY_SKILL[index % 4 == 3]
        attempt = taking.attempt_start(quiz=course.quiz, user=assignment.user)
        answers = [
            {"question": question.pk, "selected": [], "text": short_answer}
            if question.kind == QuestionKind.SHORT
            else {"question": question.pk, "selected": _chosen(question, right)}
            for question in questions
        ]
        attempt = taking.attempt_submit(attempt=attempt, user=assignment.user, answers=answers)
        if index > 0 and attempt.status == AttemptStatus.AWAITING_GRADING:  # the first one stays in the queue
            for answer in attempt.answers.filter(question__kind=QuestionKind.SHORT):
                taking.answer_grade(
                    answer=answer, grader=grader, points=answer.question.points, feedback="先致歉，再给出时间，很好。"
                )


def _chosen(question, right: bool) -> list[int]:
    correct = [choice.pk for choice in question.choices.all() if choice.is_correct]
    wrong = [choice.pk for choice in question.choices.all() if not choice.is_correct]
    return correct if right else wrong[:1]


def _knowledge_base(*, department: Team, manager) -> list:
    categories, articles = {}, []
    for category_name, kind, title, body, tags in ARTICLES:
        if category_name not in categories:
            categories[category_name] = knowledge.article_category_create(
                team=department, actor=manager, name=category_name
            )
        articles.append(
            knowledge.article_create(
                team=department,
                actor=manager,
                title=title,
                body=body,
                kind=kind,
                category=categories[category_name],
                tags=tags,
                status="published",
            )
        )
    return articles


def _onboarding_and_career(*, team: Team, author, course: Course, article, position: str) -> None:
    template = onboarding.onboarding_template_create(
        actor=author,
        team=team,
        name="新人入职清单",
        steps=[
            {"kind": StepKind.READ_ARTICLE, "title": "读《退款到账时效说明》", "article": article},
            {"kind": StepKind.PASS_COURSE, "title": f"完成课程《{course.title}》并通过测验", "course": course},
            {"kind": StepKind.SHADOW, "title": "跟岗一位资深同事半天"},
        ],
    )
    newest = (
        Membership.objects.filter(team=team, role=Role.AGENT, active=True)
        .select_related("user")
        .order_by("-pk")
        .first()
    )
    if newest is not None:
        onboarding.onboarding_start(template=template, user=newest.user, actor=author, team=team)
    for rank, name, courses_needed, qa_score, attainment in (
        (1, "初级客服", [], None, None),
        (2, "中级客服", [course], 75, None),
        (3, "高级客服", [course], 85, 100),
    ):
        career.career_level_create(
            actor=author,
            team=team,
            position=position,
            rank=rank,
            name=name,
            required_courses=courses_needed,
            min_qa_score=qa_score,
            min_kpi_attainment=attainment,
        )
