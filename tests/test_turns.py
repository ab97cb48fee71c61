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


def test_a_client_holds_one_worker_while_another_client_takes_the_idle_one():
    turns = _Turns(queue_cap=8, client_queue_cap=2)
    turns.put("first")
    turns.put("second")
    assert turns.take("a", far(), LATER) == "first"
    got = {}
    second = threading.Thread(target=lambda: got.setdefault("a", turns.take("a", far(), LATER)))
    second.start()
    until_waiting(turns, 1)
    # a's second request waits, though a worker is idle; b, who holds none, takes it at once.
    assert turns.take("b", far(), LATER) == "second"
    assert "a" not in got
    turns.release("a")
    turns.put("first")
    second.join(LATER)
    assert got == {"a": "first"}


def test_the_client_served_least_recently_goes_first_whatever_it_sent_before():
    turns = _Turns(queue_cap=8, client_queue_cap=4)
    turns.put("only")
    assert turns.take("a", far(), LATER) == "only"
    order, threads = [], []

    def request(client):
        worker = turns.take(client, far(), LATER)
        order.append(client)
        turns.release(client)
        turns.put(worker)

    for client in ("a", "a", "b", "c"):
        threads.append(threading.Thread(target=request, args=(client,)))
        threads[-1].start()
        until_waiting(turns, len(threads))
    turns.release("a")
    turns.put("only")
    for thread in threads:
        thread.join(LATER)
    assert order == ["b", "c", "a", "a"]


def test_one_client_cannot_fill_the_queue():
    turns = _Turns(queue_cap=8, client_queue_cap=2)
    turns.put("only")
    assert turns.take("a", far(), LATER) == "only"
    order = []

    def request(client):
        worker = turns.take(client, far(), LATER)
        order.append(client)
        turns.release(client)
        turns.put(worker)

    threads = [threading.Thread(target=request, args=("a",)) for _ in range(2)]
    for thread in threads:
        thread.start()
    until_waiting(turns, 2)
    with pytest.raises(PoolError, match="2 of your requests are waiting"):
        turns.take("a", far(), LATER)
    # Another client still finds room in the queue, and its turn comes before a's.
    threads.append(threading.Thread(target=request, args=("b",)))
    threads[-1].start()
    until_waiting(turns, 3)
    turns.release("a")
    turns.put("only")
    for thread in threads:
        thread.join(LATER)
    assert order == ["b", "a", "a"]
    assert waiting(turns) == 0 and turns.idle() == ["only"]


def test_heavy_clients_never_take_the_last_idle_worker():
    turns = _Turns(queue_cap=8, client_queue_cap=2, workers=2)
    turns.put("first")
    turns.put("second")
    turns.mark_heavy("a")
    turns.mark_heavy("b")
    # A heavy client takes a worker while another stays idle.
    assert turns.take("a", far(), LATER) == "first"
    got = {}
    waiting_b = threading.Thread(target=lambda: got.setdefault("b", turns.take("b", far(), LATER)))
    waiting_b.start()
    until_waiting(turns, 1)
    # The other heavy client waits; a light one takes the last worker at once.
    assert turns.take("c", far(), LATER) == "second"
    turns.release("a")
    turns.put("first")
    assert "b" not in got
    turns.release("c")
    turns.put("second")
    waiting_b.join(LATER)
    assert got["b"] in ("first", "second")
