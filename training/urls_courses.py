"""Pages of the training app: courses, assignments, periodic assessments and the overview."""

from django.urls import path

from training.views import courses

urlpatterns = [
    path("training/", courses.home, name="training-home"),
    path("training/people/<int:user_id>/", courses.person_learning, name="training-person"),
    path("training/overview/", courses.overview, name="training-overview"),
    path("training/courses/", courses.course_list, name="training-course-list"),
    path("training/courses/new/", courses.course_create, name="training-course-create"),
    path("training/courses/<int:course_id>/", courses.course_detail, name="training-course-detail"),
    path("training/courses/<int:course_id>/edit/", courses.course_edit, name="training-course-edit"),
    path("training/courses/<int:course_id>/publish/", courses.course_publish, name="training-course-publish"),
    path("training/courses/<int:course_id>/assign/", courses.course_assign, name="training-course-assign"),
    path(
        "training/courses/<int:course_id>/materials/<int:material_id>/file/",
        courses.material_file,
        name="training-material-file",
    ),
    path("training/assignments/<int:assignment_id>/", courses.assignment_detail, name="training-assignment-detail"),
    path(
        "training/assignments/<int:assignment_id>/materials/<int:material_id>/done/",
        courses.material_done,
        name="training-material-done",
    ),
    path("training/assessments/", courses.assessments, name="training-assessments"),
    path("training/assessments/<int:schedule_id>/", courses.assessment_edit, name="training-assessment-edit"),
]
