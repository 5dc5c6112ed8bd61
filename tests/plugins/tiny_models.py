"""Tiny ONNX classifiers and tokenizers that the tests build themselves (no download, no torch).

The classifier: token ids -> embedding gather -> mean over tokens -> linear -> softmax, two classes.
Tokens in ``ABUSIVE_TOKENS`` carry the "abusive" direction, so texts holding them score high.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

VOCAB = ["[PAD]", "[UNK]", "you", "are", "an", "idiot", "loser", "nice", "day", "have", "a", "你", "是", "傻", "逼",
         "好", "天", "气"]
ABUSIVE_TOKENS = ("idiot", "loser", "傻", "逼")
DIM = 4


def write_tokenizer(folder: Path, kind: str = "json") -> None:
    """``tokenizer.json`` (word level, CJK split by character) or a plain ``vocab.txt``."""
    if kind == "vocab":
        (folder / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
        return
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(VOCAB)}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Whitespace(), pre_tokenizers.Split(Regex(r"[\u4e00-\u9fff]"), behavior="isolated")])
    tokenizer.save(str(folder / "tokenizer.json"))


def classifier(pool: bool = True, with_mask: bool = False) -> onnx.ModelProto:
    """The tiny classifier; ``pool=False`` leaves the output [batch, tokens, classes] (a wrong shape)."""
    emb = np.zeros((len(VOCAB), DIM), dtype=np.float32)
    for word in ABUSIVE_TOKENS:
        emb[VOCAB.index(word), 0] = 4.0
    emb[:, 1] = 0.5
    weight = np.zeros((DIM, 2), dtype=np.float32)
    weight[0, 1], weight[1, 0] = 3.0, 2.0
    nodes = [helper.make_node("Gather", ["embedding", "input_ids"], ["tokens"], axis=0)]
    if pool:
        nodes.append(helper.make_node("ReduceMean", ["tokens"], ["pooled"], axes=[1], keepdims=0))
        nodes.append(helper.make_node("MatMul", ["pooled", "weight"], ["logits"]))
    else:
        nodes.append(helper.make_node("MatMul", ["tokens", "weight"], ["logits"]))
    nodes.append(helper.make_node("Softmax", ["logits"], ["probs"], axis=-1))
    inputs = [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"])]
    if with_mask:
        inputs.append(helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]))
        nodes.append(helper.make_node("Identity", ["attention_mask"], ["mask_seen"]))
    shape = ["batch", 2] if pool else ["batch", "tokens", 2]
    outputs = [helper.make_tensor_value_info("probs", TensorProto.FLOAT, shape)]
    if with_mask:
        outputs.append(helper.make_tensor_value_info("mask_seen", TensorProto.INT64, ["batch", "tokens"]))
    graph = helper.make_graph(nodes, "tiny_classifier", inputs, outputs,
                              [numpy_helper.from_array(emb, "embedding"), numpy_helper.from_array(weight, "weight")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)
    onnx.checker.check_model(model)
    return model


def write_model(folder: Path, *, tokenizer: str = "json", pool: bool = True, with_mask: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(classifier(pool=pool, with_mask=with_mask), str(folder / "model.onnx"))
    write_tokenizer(folder, tokenizer)
    return folder
