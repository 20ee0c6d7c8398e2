"""QA's copies of customers' personal data follow the chat logs' retention (conversations.retention): complaints
received, and cases opened, before the cutoff lose the customer's identifier, their words and the evidence.
What happened and what was learned (summary, root cause, lesson, scores) stays. Connected in
QaReviewsConfig.ready."""

from django.dispatch import receiver

from conversations.signals import personal_data_expired
from qa_reviews.models import Case, Complaint


@receiver(personal_data_expired, dispatch_uid="qa_reviews.personal_data_expired")
def remove_customer_data(sender, cutoff, **kwargs) -> None:
    Complaint.objects.filter(received_at__lt=cutoff).exclude(customer="").update(customer="")
    for case in Case.objects.filter(created_at__lt=cutoff).exclude(evidence_file="").iterator():
        case.evidence_file.delete(save=False)
        case.save(update_fields=["evidence_file"])
    Case.objects.filter(created_at__lt=cutoff).exclude(buyer_id="", customer_comment="", evidence="").update(
        buyer_id="", customer_comment="", evidence=""
    )
