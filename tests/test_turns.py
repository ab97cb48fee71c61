"""Turns by client in the worker pool: one worker per client, least recently served first."""

import threading
import time

import pytest

from vetkg.query.pool import PoolError, _Turns

LATER = 60.0


def far():
    return time.monotonic() + LATER


def waiting(turns) -> int:
    return sum(len(tickets) for tickets in turns._waiting.values())


def until_waiting(turns, count: int) -> None:
    for _ in range(1000):
        if waiting(turns) == count:
            return
        time.sleep(0.01)
    raise AssertionError(f"{waiting(turns)} requests wait, not {count}")


def request_later(turns, client, served: list, give_back: bool = True) -> threading.Thread:
    """A started thread that waits its turn for a worker and records (client, worker) in ``served``.

    With ``give_back``, it hands the worker back at once.
    """
    def request():
        worker = turns.take(client, far(), LATER)
        served.append((client, worker))
        if give_back:
            turns.release(client)
            turns.put(worker)

    thread = threading.Thread(target=request)
    thread.start()
    return thread


def test_a_client_holds_one_worker_while_another_client_takes_the_idle_one():
    turns = _Turns(queue_cap=8, client_queue_cap=2)
    turns.put("first")
    turns.put("second")
    assert turns.take("a", far(), LATER) == "first"
    served = []
    second = request_later(turns, "a", served, give_back=False)
    until_waiting(turns, 1)
    # a's second request waits, though a worker is idle; b, who holds none, takes it at once.
    assert turns.take("b", far(), LATER) == "second"
    assert served == []
    turns.release("a")
    turns.put("first")
    second.join(LATER)
    assert served == [("a", "first")]


def test_the_client_served_least_recently_goes_first_whatever_it_sent_before():
    turns = _Turns(queue_cap=8, client_queue_cap=4)
    turns.put("only")
    assert turns.take("a", far(), LATER) == "only"
    served, threads = [], []
    for client in ("a", "a", "b", "c"):
        threads.append(request_later(turns, client, served))
        until_waiting(turns, len(threads))
    turns.release("a")
    turns.put("only")
    for thread in threads:
        thread.join(LATER)
    assert [client for client, _ in served] == ["b", "c", "a", "a"]


def test_one_client_cannot_fill_the_queue():
    turns = _Turns(queue_cap=8, client_queue_cap=2)
    turns.put("only")
    assert turns.take("a", far(), LATER) == "only"
    served = []
    threads = [request_later(turns, "a", served) for _ in range(2)]
    until_waiting(turns, 2)
    with pytest.raises(PoolError, match="2 of your requests are waiting"):
        turns.take("a", far(), LATER)
    # Another client still finds room in the queue, and its turn comes before a's.
    threads.append(request_later(turns, "b", served))
    until_waiting(turns, 3)
    turns.release("a")
    turns.put("only")
    for thread in threads:
        thread.join(LATER)
    assert [client for client, _ in served] == ["b", "a", "a"]
    assert waiting(turns) == 0 and turns.idle() == ["only"]


def test_heavy_clients_never_take_the_last_idle_worker():
    turns = _Turns(queue_cap=8, client_queue_cap=2, workers=2)
    turns.put("first")
    turns.put("second")
    turns.mark_heavy("a")
    turns.mark_heavy("b")
    # A heavy client takes a worker while another stays idle.
    assert turns.take("a", far(), LATER) == "first"
    served = []
    waiting_b = request_later(turns, "b", served, give_back=False)
    until_waiting(turns, 1)
    # The other heavy client waits; a light one takes the last worker at once.
    assert turns.take("c", far(), LATER) == "second"
    turns.release("a")
    turns.put("first")
    assert served == []
    turns.release("c")
    turns.put("second")
    waiting_b.join(LATER)
    assert len(served) == 1 and served[0][0] == "b" and served[0][1] in ("first", "second")
