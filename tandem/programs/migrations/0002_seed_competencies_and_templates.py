"""The starting competency model and the plan templates per leader level, written by
the project from the seed article's "Tailoring by leader level". Admins edit both."""

from django.db import migrations

COMPETENCIES = [
    ("Self-awareness", "Knows their default style, its effect on others, and their blind spots."),
    ("Communication and listening", "Hears content, tone and meaning before reacting."),
    ("Coaching others", "Asks questions that surface the other person's thinking."),
    ("Accountability", "Holds people to commitments while staying invested in their growth."),
    ("Decision-making", "Decides deliberately under pressure, with the right people involved."),
    ("Strategic thinking", "Connects daily work to where the organization is going."),
    ("Inclusion", "Draws out every voice and makes it safe to disagree."),
    ("Leading change", "Helps people through change and keeps momentum."),
]

TEMPLATES = [
    (
        "individual_contributor",
        "Growing as an individual contributor",
        ["Self-awareness and personal effectiveness", "Influencing without authority"],
        ["Ask for feedback on one habit each month"],
    ),
    (
        "emerging",
        "Emerging leader: from individual contributor to people leader",
        [
            "Moving from individual contributor to people leader",
            "Foundational self-awareness",
            "Delegation and giving feedback",
        ],
        [
            "Delegate one recurring task with a clear outcome and check-in",
            "Hold a development conversation with each direct report",
        ],
    ),
    (
        "mid",
        "Mid-level manager: team dynamics and competing priorities",
        ["Team dynamics", "Communication", "Navigating competing priorities"],
        [
            "Run one-on-ones that end with clear next steps",
            "Agree priorities with peers for the coming quarter",
        ],
    ),
    (
        "senior",
        "Senior executive: strategy, presence and culture",
        [
            "Strategy",
            "Executive presence",
            "Decision-making",
            "Cultural transformation",
        ],
        [
            "Sponsor one high-potential leader towards a ready-now move",
            "Model coaching in every leadership-team meeting",
        ],
    ),
]


def seed(apps, schema_editor):
    Competency = apps.get_model("programs", "Competency")
    PlanTemplate = apps.get_model("programs", "PlanTemplate")
    for name, description in COMPETENCIES:
        Competency.objects.get_or_create(name=name, defaults={"description": description})
    for level, title, focus_areas, goals in TEMPLATES:
        PlanTemplate.objects.get_or_create(
            level=level,
            defaults={"title": title, "focus_areas": focus_areas, "suggested_goals": goals},
        )


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
