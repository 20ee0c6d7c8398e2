from django.dispatch import Signal

# Sent inside the writing transaction after a batch of conversations was created or changed.
# `days` is a set of (team_id, started_at) pairs: where each touched conversation lies now and,
# if it moved, where it lay before. Receivers (the KPI app) mark those days for recomputation.
conversations_written = Signal()

# Sent after the retention job removed personal data from conversations that started before `cutoff`
# (an aware datetime). Receivers remove what they keep about the same customers (complaints, QA cases).
personal_data_expired = Signal()
