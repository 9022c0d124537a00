"""Issue 13: the terms of each article (`search.terms`), so that the case page's suggestion reads them
by index instead of matching every article's text."""

import django.db.models.deletion
from django.db import migrations, models


def index_existing(apps, schema_editor):
    from kefu.knowledge.search import terms

    Article = apps.get_model("knowledge", "Article")
    ArticleTerm = apps.get_model("knowledge", "ArticleTerm")
    for article in Article.objects.order_by("pk").iterator(chunk_size=200):
        found = terms(title=article.title, keywords=article.keywords, body=article.body)
        ArticleTerm.objects.bulk_create(
            [ArticleTerm(article=article, term=term, weight=weight) for term, weight in found.items()],
            batch_size=500,
        )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="ArticleTerm",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("term", models.CharField(max_length=64)),
                ("weight", models.PositiveSmallIntegerField()),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="terms", to="knowledge.article"
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("article", "term"), name="kb_term_once")],
            },
        ),
        migrations.RunPython(index_existing, migrations.RunPython.noop),
    ]
