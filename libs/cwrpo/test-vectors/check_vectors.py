"""Independent plain-Python recomputation of cwrpo-loss.json (no torch needed).

The Python learner can import `trajectory_loss` shapes from here or, better, feed the same inputs to
its torch loss and compare with `expected`. Run: python3 libs/cwrpo/test-vectors/check_vectors.py
"""
import json
import math
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent


def trajectory_loss(inp, clip_epsilon, kl_beta):
    surr, kl, n, clipped = 0.0, 0.0, 0, 0
    for i, m in enumerate(inp["mask"]):
        if m == 0:
            continue
        ratio = math.exp(inp["newLogprobs"][i] - inp["oldLogprobs"][i])
        a = inp["advantage"]
        surr += min(ratio * a, min(max(ratio, 1 - clip_epsilon), 1 + clip_epsilon) * a)
        clipped += ratio < 1 - clip_epsilon or ratio > 1 + clip_epsilon
        if inp["refLogprobs"] is not None:
            d = inp["refLogprobs"][i] - inp["newLogprobs"][i]
            kl += math.exp(d) - d - 1
        n += 1
    if n == 0:
        return {"surrogate": 0.0, "kl": 0.0, "loss": 0.0, "maskedTokens": 0, "clippedFraction": 0.0}
    return {
        "surrogate": surr / n,
        "kl": kl / n,
        "loss": -(surr / n - kl_beta * kl / n),
        "maskedTokens": n,
        "clippedFraction": clipped / n,
    }


def group_advantages(rewards, options):
    if all(r == rewards[0] for r in rewards):
        return [0.0] * len(rewards)
    n = len(rewards)
    mean = sum(rewards) / n
    dof = n - 1 if options.get("std") == "sample" else n
    std = math.sqrt(sum((r - mean) ** 2 for r in rewards) / dof)
    den = max(std, options["stdFloor"]) if "stdFloor" in options else std + options.get("epsilon", 1e-6)
    return [(r - mean) / den for r in rewards]


def main():
    vectors = json.loads((HERE / "cwrpo-loss.json").read_text())
    tol = vectors["tolerance"]
    failures = []

    def close(name, got, want):
        if abs(got - want) > tol:
            failures.append(f"{name}: {got} != {want}")

    by_name = {}
    for case in vectors["trajectories"]:
        got = trajectory_loss(case["input"], **{"clip_epsilon": case["options"]["clipEpsilon"], "kl_beta": case["options"]["klBeta"]})
        by_name[case["name"]] = got
        for key, value in got.items():
            close(f"{case['name']}.{key}", value, case["expected"][key])
    for batch in vectors["batches"]:
        losses = [by_name[n]["loss"] for n in batch["trajectoryNames"]]
        close(batch["name"], sum(losses) / len(losses), batch["expected"]["loss"])
    for case in vectors["advantages"]:
        for i, (g, w) in enumerate(zip(group_advantages(case["rewards"], case["options"]), case["expected"])):
            close(f"{case['name']}[{i}]", g, w)
    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print(f"ok: {len(vectors['trajectories'])} trajectories, {len(vectors['batches'])} batch, {len(vectors['advantages'])} advantage groups")


if __name__ == "__main__":
    main()
