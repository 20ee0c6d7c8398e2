"""/api/v1/training/quizzes/ and /api/v1/training/attempts/: build a course's quiz, take it, grade it, results.

Who sees what is decided in training.quizzes (selectors and services): a quiz of a course you cannot see,
or an attempt that is not yours and not in a team you supervise, is a 404; correct answers are absent for
anyone but the course's authors and graders until the quiz is over for its taker.
"""

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from teams import policy
from training import quizzes
from training.access import visible_courses
from training.models import Answer, Attempt, AttemptStatus, Course, QuestionKind, Quiz
from training.quizzes.building import choice_label

# --------------------------------------------------------------------------------------------- fields


@extend_schema_field(OpenApiTypes.INT)
class VisibleCourseField(serializers.PrimaryKeyRelatedField):
    """A course the requester sees; any other id "does not exist"."""

    def get_queryset(self):
        request = self.context.get("request")
        return visible_courses(request.user) if request else Course.objects.none()


@extend_schema_field(OpenApiTypes.INT)
class VisibleQuizField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return quizzes.quiz_list(user=request.user) if request else Quiz.objects.none()


# ---------------------------------------------------------------------------------------------- quizzes


class QuizChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(read_only=True)
    # Not read-only: a read-only field is a required property of the answer, and this one is left out for takers.
    is_correct = serializers.BooleanField(required=False, help_text="For the course's authors only (absent otherwise).")


class QuizQuestionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=QuestionKind.choices, read_only=True)
    text = serializers.CharField(read_only=True)
    points = serializers.IntegerField(read_only=True)
    choices = QuizChoiceSerializer(many=True, read_only=True)

    def to_representation(self, question):
        data = super().to_representation(question)
        for index, (choice, row) in enumerate(zip(question.choices.all(), data["choices"], strict=True)):
            row["text"] = choice_label(question, choice, index)
        return data


class QuizSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    questions = QuizQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = Quiz
        fields = [
            "id",
            "course",
            "course_title",
            "pass_mark",
            "max_attempts",
            "shuffle_questions",
            "questions",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def to_representation(self, quiz):
        data = super().to_representation(quiz)
        request = self.context.get("request")
        if request is None or not quizzes.reveals_answer_key(user=request.user, quiz=quiz):
            for question in data["questions"]:
                for choice in question["choices"]:
                    choice.pop("is_correct", None)
        return data


class QuizChoiceInputSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)
    is_correct = serializers.BooleanField(required=False, default=False)


class QuizQuestionInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField(allow_blank=True)
    points = serializers.IntegerField(required=False, default=1)
    choices = QuizChoiceInputSerializer(
        many=True,
        required=False,
        default=list,
        help_text="Single: one correct; multiple: at least one; true/false: True then False, one correct; "
        "short answer: none.",
    )


class QuizWriteSerializer(serializers.Serializer):
    course = VisibleCourseField(required=False, help_text="Required to create; a course has one quiz.")
    pass_mark = serializers.IntegerField(required=False, help_text="Percent of the points needed to pass.")
    max_attempts = serializers.IntegerField(required=False)
    shuffle_questions = serializers.BooleanField(required=False)
    questions = QuizQuestionInputSerializer(
        many=True, required=False, help_text="The full list; leave it out of a PATCH to keep the questions."
    )


class QuizResultPersonSerializer(serializers.Serializer):
    user = serializers.IntegerField(source="pk")
    username = serializers.CharField()
    display_name = serializers.CharField()
    attempts_used = serializers.IntegerField()
    best_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    passed = serializers.SerializerMethodField()
    awaiting_grading = serializers.SerializerMethodField()
    last_attempt = serializers.IntegerField(allow_null=True)

    def get_passed(self, person) -> bool:
        return person.passes > 0

    def get_awaiting_grading(self, person) -> bool:
        return person.awaiting > 0


class QuizResultQuestionSerializer(serializers.Serializer):
    question = serializers.IntegerField(source="pk")
    position = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    text = serializers.CharField()
    answered = serializers.IntegerField(help_text="Graded answers in the teams you supervise.")
    correct = serializers.IntegerField(help_text="Answers with full points.")
    failed = serializers.IntegerField()
    correct_rate = serializers.SerializerMethodField(help_text="Percent of answers correct; null when unanswered.")

    def get_correct_rate(self, question) -> float | None:
        return None if question.correct_rate is None else round(question.correct_rate, 1)


class QuizResultsSerializer(serializers.Serializer):
    people = QuizResultPersonSerializer(many=True)
    questions = QuizResultQuestionSerializer(many=True, help_text="The questions most people fail first.")


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(summary="Quizzes of the courses you see (correct answers for the courses' authors only)"),
    retrieve=extend_schema(summary="One quiz with its questions"),
    create=extend_schema(
        summary="Build a course's quiz (the supervisors of its team)",
        request=QuizWriteSerializer,
        responses={201: QuizSerializer},
    ),
    update=extend_schema(
        summary="Change the quiz; its questions are fixed once people submitted answers",
        request=QuizWriteSerializer,
        responses={200: QuizSerializer},
    ),
    partial_update=extend_schema(
        summary="Change the pass mark, attempts or shuffling (and the questions, if sent)",
        request=QuizWriteSerializer,
        responses={200: QuizSerializer},
    ),
)
class QuizViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = QuizSerializer
    permission_classes = [permissions.IsAuthenticated]  # the services decide who may write
    filterset_fields = ["course"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return quizzes.quiz_list(user=self.request.user)

    def create(self, request):
        payload = QuizWriteSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        course = data.get("course")
        if course is None:
            raise exceptions.ValidationError({"course": ["Name the course the quiz belongs to."]})
        existing = Quiz.objects.filter(course=course).first()
        if existing is not None:
            raise exceptions.ValidationError(
                {"course": [f"This course already has a quiz ({existing.pk}): change it with PUT or PATCH."]}
            )
        quiz = quizzes.quiz_save(
            course=course,
            actor=request.user,
            pass_mark=data.get("pass_mark", 80),
            max_attempts=data.get("max_attempts", 3),
            shuffle_questions=data.get("shuffle_questions", True),
            questions=data.get("questions", []),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=quiz.pk)).data, status=status.HTTP_201_CREATED)

    def update(self, request, pk=None, partial=False):
        quiz = self.get_object()
        payload = QuizWriteSerializer(data=request.data, partial=partial, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if "course" in data and data["course"].pk != quiz.course_id:
            raise exceptions.ValidationError({"course": ["A quiz stays with its course."]})
        if not partial and "questions" not in data:
            raise exceptions.ValidationError({"questions": ["Send the full list of questions (or use PATCH)."]})
        quizzes.quiz_save(
            course=quiz.course,
            actor=request.user,
            pass_mark=data.get("pass_mark", quiz.pass_mark),
            max_attempts=data.get("max_attempts", quiz.max_attempts),
            shuffle_questions=data.get("shuffle_questions", quiz.shuffle_questions),
            questions=data.get("questions"),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=quiz.pk)).data)

    def partial_update(self, request, pk=None):
        return self.update(request, pk=pk, partial=True)

    @extend_schema(
        summary="Results per person and per question, in the teams you supervise",
        responses={200: QuizResultsSerializer},
    )
    @action(detail=True, methods=["get"])
    def results(self, request, pk=None):
        quiz = self.get_object()
        if not policy.team_access(request.user).supervised:
            raise exceptions.PermissionDenied("Results are for the supervisors of the people taking the quiz.")
        return Response(QuizResultsSerializer(quizzes.quiz_results(quiz=quiz, user=request.user)).data)


# --------------------------------------------------------------------------------------------- attempts


class AttemptSerializer(serializers.ModelSerializer):
    course = serializers.IntegerField(source="quiz.course_id", read_only=True)
    course_title = serializers.CharField(source="quiz.course.title", read_only=True)
    started_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Attempt
        fields = [
            "id",
            "quiz",
            "course",
            "course_title",
            "user",
            "team",
            "assignment",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "score",
            "max_score",
            "percent",
            "passed",
            "graded_by",
            "graded_at",
        ]
        read_only_fields = fields


class AttemptSheetChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    text = serializers.CharField()
    selected = serializers.BooleanField()
    is_correct = serializers.BooleanField(
        required=False, help_text="Absent for the taker until the quiz is over for them (passed or no attempts left)."
    )


class AttemptSheetAnswerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    selected = serializers.ListField(child=serializers.IntegerField())
    text = serializers.CharField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    feedback = serializers.CharField()


class AttemptSheetRowSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    question = serializers.IntegerField(source="question.pk")
    kind = serializers.ChoiceField(source="question.kind", choices=QuestionKind.choices)
    text = serializers.CharField(source="question.text")
    points = serializers.IntegerField(source="question.points")
    choices = AttemptSheetChoiceSerializer(many=True)
    answer = AttemptSheetAnswerSerializer(allow_null=True)
    result = serializers.CharField(help_text='Once graded: "right", "partly", "wrong" or "pending"; else empty.')


class AttemptDetailSerializer(AttemptSerializer):
    answer_key_shown = serializers.SerializerMethodField()
    questions = serializers.SerializerMethodField()

    class Meta(AttemptSerializer.Meta):
        fields = [*AttemptSerializer.Meta.fields, "answer_key_shown", "questions"]
        read_only_fields = fields

    def _reveal(self, attempt) -> bool:
        if not hasattr(attempt, "_reveal_key"):
            request = self.context.get("request")
            attempt._reveal_key = request is not None and quizzes.attempt_reveals_key(
                user=request.user, attempt=attempt
            )
        return attempt._reveal_key

    def get_answer_key_shown(self, attempt) -> bool:
        return self._reveal(attempt)

    @extend_schema_field(AttemptSheetRowSerializer(many=True))
    def get_questions(self, attempt):
        rows = AttemptSheetRowSerializer(
            quizzes.attempt_sheet(attempt=attempt, reveal_key=self._reveal(attempt)), many=True
        )
        data = rows.data
        for row in data:
            for choice in row["choices"]:
                if choice["is_correct"] is None:
                    del choice["is_correct"]
        return data


class AttemptStartSerializer(serializers.Serializer):
    quiz = VisibleQuizField()


class AttemptAnswerInputSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    selected = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    text = serializers.CharField(required=False, allow_blank=True, default="")


class AttemptSubmitSerializer(serializers.Serializer):
    answers = AttemptAnswerInputSerializer(many=True, help_text="Questions left out score 0.")


class AnswerGradeSerializer(serializers.Serializer):
    answer = serializers.IntegerField(help_text="A short answer of this attempt.")
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    feedback = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema(tags=["training"])
@extend_schema_view(
    list=extend_schema(summary="Your own attempts and those in the teams you supervise"),
    retrieve=extend_schema(summary="One attempt: its questions in order, the answers and, once graded, the result"),
    create=extend_schema(
        summary="Start an attempt at a quiz (or get the one in progress)",
        request=AttemptStartSerializer,
        responses={201: AttemptDetailSerializer, 200: AttemptDetailSerializer},
    ),
)
class AttemptViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ["quiz", "user", "status"]

    def get_queryset(self):
        return quizzes.attempt_list(user=self.request.user)

    def get_serializer_class(self):
        return AttemptSerializer if self.action == "list" else AttemptDetailSerializer

    def create(self, request):
        payload = AttemptStartSerializer(data=request.data, context=self.get_serializer_context())
        payload.is_valid(raise_exception=True)
        quiz = payload.validated_data["quiz"]
        continuing = Attempt.objects.filter(quiz=quiz, user=request.user, status=AttemptStatus.IN_PROGRESS).exists()
        attempt = quizzes.attempt_start(quiz=quiz, user=request.user)
        return Response(
            self.get_serializer(attempt).data, status=status.HTTP_200_OK if continuing else status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Submit the answers (the taker, once); choice questions are graded at once",
        request=AttemptSubmitSerializer,
        responses={200: AttemptDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        attempt = self.get_object()
        payload = AttemptSubmitSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        attempt = quizzes.attempt_submit(
            attempt=attempt, user=request.user, answers=[dict(row) for row in payload.validated_data["answers"]]
        )
        return Response(self.get_serializer(attempt).data)

    @extend_schema(
        summary="Grade a short answer (a supervisor of the taker's team)",
        request=AnswerGradeSerializer,
        responses={200: AttemptDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def grade(self, request, pk=None):
        attempt = self.get_object()
        payload = AnswerGradeSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        if not policy.can_supervise_team(request.user, attempt.team_id):
            raise exceptions.PermissionDenied("Only the supervisors of the person's team grade their answers.")
        answer = Answer.objects.filter(attempt=attempt, pk=data["answer"]).first()
        if answer is None:
            raise exceptions.ValidationError({"answer": ["This answer is not part of the attempt."]})
        quizzes.answer_grade(answer=answer, grader=request.user, points=data["points"], feedback=data["feedback"])
        return Response(self.get_serializer(get_object_or_404(self.get_queryset(), pk=attempt.pk)).data)
