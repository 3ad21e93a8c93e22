"""database.cap: a CP store refuses in the minority, an AP store accepts and diverges."""

from __future__ import annotations

import random

import pytest

from fundamentals.database.cap import APStore, CPStore, Network, Unavailable, descends


def test_cp_minority_refuses_and_majority_accepts() -> None:
    net = Network(["a", "b", "c"])
    cp = CPStore(net)
    cp.write("a", "x", "before")
    net.partition({"a"}, {"b", "c"})
    cp.write("b", "x", "during")
    with pytest.raises(Unavailable, match="a reaches 1 of 3 replicas, needs 2"):
        cp.write("a", "x", "lost?")
    with pytest.raises(Unavailable):
        cp.read("a", "x")
    assert cp.read("c", "x") == "during"
    assert cp.replicas["a"]["x"] == (1, "before")  # the refused write left nothing behind


def test_cp_after_heal_every_node_reads_the_latest_write() -> None:
    for stale in "abc":  # each node in turn holds the old version
        net = Network(["a", "b", "c"])
        cp = CPStore(net)
        cp.write("a", "x", "1")
        rest = set("abc") - {stale}
        net.partition({stale}, rest)
        cp.write(min(rest), "x", "2")
        net.heal()
        assert [cp.read(n, "x") for n in "abc"] == ["2", "2", "2"]


def test_cp_writer_that_missed_a_write_still_writes_a_newer_version() -> None:
    net = Network(["a", "b", "c"])
    cp = CPStore(net)
    net.partition({"b", "c"}, {"a"})
    cp.write("b", "x", "old")  # a misses it
    net.partition({"a", "b"}, {"c"})
    cp.write("a", "x", "newest")  # a's own copy is empty; b's majority copy is version 1
    net.heal()
    assert [cp.read(n, "x") for n in "abc"] == ["newest"] * 3
    net5 = Network("abcde")
    cp5 = CPStore(net5)
    cp5.write("a", "x", "first")
    net5.partition({"c", "d", "e"}, {"a", "b"})
    cp5.write("c", "x", "second")
    net5.partition({"a", "b", "c"}, {"d", "e"})
    cp5.write("a", "x", "third")
    net5.heal()
    assert [cp5.read(n, "x") for n in "abcde"] == ["third"] * 5


def test_cp_write_survives_losing_the_node_that_took_it() -> None:
    net = Network(["a", "b", "c"])
    cp = CPStore(net)
    cp.write("b", "x", "1")
    net.partition({"b"}, {"a", "c"})  # any majority overlaps the majority that stored it
    assert cp.read("a", "x") == "1"


def test_cp_even_split_leaves_no_side_writable() -> None:
    net = Network(["a", "b", "c", "d"])
    cp = CPStore(net)
    net.partition({"a", "b"}, {"c", "d"})
    for node in "abcd":
        with pytest.raises(Unavailable):
            cp.write(node, "x", node)


def test_cp_never_accepts_writes_on_two_sides_of_a_partition() -> None:
    rng = random.Random(11)
    for _ in range(200):
        nodes = [f"n{i}" for i in range(rng.randint(1, 6))]
        net = Network(nodes)
        cp = CPStore(net)
        rng.shuffle(nodes)
        cut = rng.randint(0, len(nodes))
        groups = [set(g) for g in (nodes[:cut], nodes[cut:]) if g]
        net.partition(*groups)
        accepted = 0
        for g in groups:
            try:
                cp.write(next(iter(g)), "k", "v")
                accepted += 1
            except Unavailable:
                pass
        assert accepted <= 1


def test_ap_accepts_on_both_sides_and_diverges() -> None:
    net = Network(["a", "b", "c"])
    ap = APStore(net, merge="lww")
    ap.write("a", "cart", "book")
    ap.anti_entropy()
    net.partition({"a"}, {"b", "c"})
    ap.write("a", "cart", "book+pen")
    ap.write("b", "cart", "book+mug")
    ap.anti_entropy()  # only within each side
    assert ap.read("a", "cart") == ["book+pen"]
    assert ap.read("c", "cart") == ["book+mug"]


def test_ap_last_writer_wins_drops_an_acknowledged_write_after_heal() -> None:
    net = Network(["a", "b", "c"])
    ap = APStore(net, merge="lww")
    net.partition({"a"}, {"b", "c"})
    ap.write("a", "cart", "book+pen")
    ap.write("b", "cart", "book+mug")
    net.heal()
    ap.anti_entropy()
    values = {n: ap.read(n, "cart") for n in "abc"}
    assert values == {"a": ["book+mug"], "b": ["book+mug"], "c": ["book+mug"]}


def test_ap_siblings_keep_both_concurrent_writes_until_a_write_resolves_them() -> None:
    net = Network(["a", "b", "c"])
    ap = APStore(net, merge="siblings")
    ap.write("a", "cart", "book")
    ap.anti_entropy()
    net.partition({"a"}, {"b", "c"})
    ap.write("a", "cart", "book+pen")
    ap.write("b", "cart", "book+mug")
    net.heal()
    ap.anti_entropy()
    ap.anti_entropy()  # exchanging the same versions again must change nothing
    assert [ap.read(n, "cart") for n in "abc"] == [["book+mug", "book+pen"]] * 3
    ap.write("c", "cart", "book+mug+pen")  # the application merges what it read
    ap.anti_entropy()
    assert [ap.read(n, "cart") for n in "abc"] == [["book+mug+pen"]] * 3


def test_siblings_survive_when_one_side_wrote_more_often() -> None:
    net = Network(["a", "b"])
    ap = APStore(net, merge="siblings")
    net.partition({"a"}, {"b"})
    ap.write("a", "k", "a1")
    ap.write("a", "k", "a2")
    ap.write("b", "k", "b1")
    net.heal()
    ap.anti_entropy()
    assert ap.read("a", "k") == ["a2", "b1"]


def test_sequential_writes_replace_and_make_no_siblings() -> None:
    net = Network(["a", "b"])
    ap = APStore(net, merge="siblings")
    ap.write("a", "k", "1")
    ap.anti_entropy()
    ap.write("b", "k", "2")
    ap.anti_entropy()
    assert ap.read("a", "k") == ["2"]


def test_descends_is_a_partial_order() -> None:
    assert descends({"a": 1}, {})
    assert descends({"a": 2, "b": 1}, {"a": 1, "b": 1})
    assert not descends({"a": 2}, {"a": 1, "b": 1})
    assert not descends({"a": 1, "b": 1}, {"a": 2})


def test_pacelc_without_a_partition_cp_pays_round_trips_ap_does_not() -> None:
    net = Network(["a", "b", "c", "d", "e"])
    cp, ap = CPStore(net), APStore(net, merge="lww")
    for i in range(10):
        cp.write("a", "k", str(i))
        ap.write("a", "k", str(i))
    assert cp.contacted == 50  # every write reached a majority or more
    assert ap.contacted == 10  # only the local replica; the rest is shipped later
    assert ap.read("b", "k") == []  # so a read elsewhere is stale until anti-entropy
    assert ap.contacted == 11  # a read is local too
    assert cp.read("b", "k") == "9"
    assert cp.contacted == 55
    ap.anti_entropy()
    assert ap.read("b", "k") == ["9"]


def test_bad_arguments_raise_clear_errors() -> None:
    with pytest.raises(ValueError, match="distinct"):
        Network(["a", "a"])
    net = Network(["a", "b"])
    with pytest.raises(ValueError, match="exactly once"):
        net.partition({"a"})
    with pytest.raises(ValueError, match="unknown node 'z'"):
        CPStore(net).write("z", "k", "v")
    with pytest.raises(ValueError, match="unknown node 'z'"):
        APStore(net, merge="lww").write("z", "k", "v")
    with pytest.raises(ValueError, match="merge must be"):
        APStore(net, merge="newest")  # type: ignore[arg-type]
