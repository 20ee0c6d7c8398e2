"""A plan's learning item links to its training assignment (the loose id column becomes a foreign key)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0001_initial"),
        ("training", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="planitem", name="training_assignment_id"),
        migrations.AddField(
            model_name="planitem",
            name="training_assignment",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="plan_items",
                to="training.assignment",
            ),
        ),
        migrations.AddConstraint(
            model_name="planitem",
            constraint=models.UniqueConstraint(fields=("plan", "training_assignment"), name="plan_item_learning_once"),
        ),
    ]
