"""What other apps may listen to.

unread_changed(sender=None, user_ids=set): these people's unread count changed (a notification was sent to them
or they read some); sent when written, inside the transaction. Answers that show the count forget it.
"""

from django.dispatch import Signal

unread_changed = Signal()
