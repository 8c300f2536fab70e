"""The long calls release the GIL: another Python thread runs meanwhile."""
import sys
import threading

import neardup


def test_another_thread_runs_while_compare_works():
    text = " ".join(f"w{i % 50000}" for i in range(300000))
    state = {"done": False}
    started = threading.Event()

    def work():
        started.set()
        neardup.compare(text, text)
        state["done"] = True

    interval = sys.getswitchinterval()
    # No forced switches: the waiting thread gets the GIL before `work` ends
    # only if compare gives it up.
    sys.setswitchinterval(1000)
    try:
        worker = threading.Thread(target=work)
        worker.start()
        started.wait()
        ran_during_compare = not state["done"]
        worker.join()
    finally:
        sys.setswitchinterval(interval)
    assert ran_during_compare
    assert state["done"]


def test_threads_calling_compare_get_the_same_passages():
    words = " ".join(f"w{i}" for i in range(200))
    texts = [(words, f"x y z {words} q"), (words[: len(words) // 2], words)]
    expected = [[(p.a.start, p.b.start, p.aligned) for p in neardup.compare(*t)]
                for t in texts]
    results = [None] * 8

    def work(k):
        results[k] = [(p.a.start, p.b.start, p.aligned)
                      for p in neardup.compare(*texts[k % 2])]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected[k % 2] for k in range(8)]
