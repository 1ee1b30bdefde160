"""How a mini-batch's samples are split into micro-batches (forward/backward passes).

Every sample's loss term is independent of which other samples share its pass (right padding is
masked, the loss is a sum of per-sample terms), so the split only decides how much padding is
computed and how much memory a pass takes. `microBatchOrder: "length"` (default) sorts the samples
by length, longest first, before splitting, so each pass pads to a length close to all of its rows;
"arrival" keeps the batch's order (the old behaviour, kept for comparison). `microBatchTokens`
caps the padded tokens of a pass (rows × its longest sample): short samples then travel many to a
pass and long ones alone, at most `microBatchSize` rows either way; a sample longer than the cap
gets a pass of its own.
"""
from __future__ import annotations

from typing import Optional


def plan_micro_batches(indices: list[int], lengths: list[int], max_rows: int, max_tokens: Optional[int] = None,
                       order: str = "length") -> list[list[int]]:
    """The micro-batches of `indices` (sample indices; `lengths[i]` is sample i's token count)."""
    todo = sorted(indices, key=lambda i: (-lengths[i], i)) if order == "length" else list(indices)
    out: list[list[int]] = []
    cur: list[int] = []
    longest = 0
    for i in todo:
        n = max(1, lengths[i])
        wider = max(longest, n)
        if cur and (len(cur) >= max_rows or (max_tokens is not None and wider * (len(cur) + 1) > max_tokens)):
            out.append(cur)
            cur, wider = [], n
        cur.append(i)
        longest = wider
    if cur:
        out.append(cur)
    return out


def padded_tokens(batches: list[list[int]], lengths: list[int]) -> int:
    """Token positions the passes compute: rows × the longest row, summed over the passes."""
    return sum(len(b) * max(max(1, lengths[i]) for i in b) for b in batches)
