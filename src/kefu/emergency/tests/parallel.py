"""Run one piece of work in several threads at once, each on its own database connection (the parallel
tests of the emergency app, PostgreSQL only): every thread waits at a barrier, then runs; the outcomes
(results or the exceptions raised) are returned in the order they finished."""

import threading

from django.db import connections


def together(work, arguments):
    ready = threading.Barrier(len(arguments), timeout=20)
    outcomes, guard = [], threading.Lock()

    def run(argument):
        try:
            ready.wait()
            result = work(argument)
            with guard:
                outcomes.append(result)
        except Exception as error:
            with guard:
                outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes
