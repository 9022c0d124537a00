"""KB-1 on PostgreSQL with real parallel connections: recording the same use at once leaves one row."""

import threading

import pytest
from django.conf import settings
from django.db import connections

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


@pytest.mark.skipif(not ON_POSTGRES, reason="parallel connections are tested on PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_parallel_record_use_leaves_one_row(admin_user):  # KB-1
    from kefu import demo as demo_data
    from kefu.claims.models import Claim
    from kefu.core.actor import Actor
    from kefu.knowledge import actions
    from kefu.knowledge.demo import load_knowledge
    from kefu.knowledge.models import Article, ArticleUse

    demo_data.load()
    load_knowledge(Actor(user=admin_user, origin="test"))
    article = Article.objects.get(title="投诉处理流程与时限")
    record = Claim.objects.order_by("pk").first()
    start = threading.Barrier(8)
    results, errors = [], []

    def one():
        try:
            start.wait()
            results.append(actions.record_use(Actor(user=admin_user, origin="thread"), article, record).pk)
        except Exception as error:  # collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert ArticleUse.objects.count() == 1 and set(results) == {ArticleUse.objects.get().pk}
