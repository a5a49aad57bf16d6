"""In-script training text for the golden tokenizer: English prose, code, numbers and non-ASCII text.

Kept separate from make_goldens.py so the corpus can be read (and changed) on its own; changing it
changes every token id in the goldens, so regenerate everything after an edit.
"""

PROSE = """\
The quick brown fox jumps over the lazy dog. A transformer reads a sequence of tokens and, at every
position, mixes information from earlier positions through attention heads. Each head looks at the
residual stream, writes a small update back, and the next layer reads the sum. Interpretability
research asks which heads move which information, and why the model predicts the next word it does.
It was a bright cold day in April, and the clocks were striking thirteen. The river ran quietly past
the old mill; children played on the bridge while their parents talked about the weather, the price
of bread, and the long winter that had finally ended. She opened the window, looked at the garden,
and said: "We should plant tomatoes this year, and maybe some beans near the fence."
In the beginning the model knows nothing. Training adjusts millions of numbers so that the predicted
distribution over the vocabulary puts more weight on the token that actually comes next.
"""

CODE = """\
def add(a, b):
\treturn a + b

def mean(values):
\tif not values:
\t\traise ValueError("empty input")
\treturn sum(values) / len(values)

for i in range(10):
    print(f"step {i}: loss={1.0 / (i + 1):.4f}")

struct Tensor {
    var shape: [Int]
    var values: [Float]
    func count() -> Int { return shape.reduce(1, *) }
}

int main(void) {
\tint total = 0;
\tfor (int i = 0; i < 100; i++) { total += i * i; }
\tprintf("%d\\n", total);
\treturn 0;
}
# comment: the end of the file
"""

NUMBERS = """\
0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 32 64 128 256 512 1024 2048 4096 50257
3.14159 2.71828 1.41421 0.5 0.25 -1.0 -273.15 1e-5 6.022e23 42 1999 2024-05-17 12:30:45
Invoice #4471: 3 items at $19.99, total $59.97 (tax 8.25%). Call +1 (555) 010-4477.
"""

NON_ASCII = """\
Café crème, naïve façade, résumé, déjà vu, crème brûlée, Noël, São Paulo, Zürich, Ångström.
Über die Brücke gehen Mädchen und Jungen; größer, schön, Straße. El niño comió piña en España.
東京は日本の首都です。日本語の文章を書きます。東京で会いましょう。中文字符也在这里：你好，世界。
한국어 문장도 조금 있습니다. Привет, мир! Γειά σου κόσμε. שלום עולם. مرحبا بالعالم.
Emoji: 🙂 😀 🚀 🎉 ❤️ 👍 🙂🙂 🚀🚀 — dashes – and “curly quotes” and ‘single ones’ … ellipsis.
"""

WHITESPACE = "   leading spaces\n\ttabbed line\n\n\nmany    spaces   between    words  \n\t\t  mixed \t whitespace\n"


def golden_corpus():
    """Returns the training texts; repeated so frequent pairs dominate and merges are stable."""
    return [PROSE, CODE, NUMBERS, NON_ASCII, WHITESPACE] * 4
